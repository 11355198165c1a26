import { lastValueFrom } from 'rxjs';
import { getBackendSrv } from '@grafana/runtime';

export interface RulesFile {
  name: string;
  content: string;
}

// RuleDiagnostic has the shape of an entry of `falco -V --json` results (pkg/rules Diagnostic).
export interface RuleDiagnostic {
  severity: 'error' | 'warning';
  code: string;
  codedesc: string;
  message: string;
  item_type?: string;
  item_name?: string;
  file: string;
  line: number;
  column: number;
  snippet?: string;
}

// EffectiveRule is one rule of the ruleset Falco would run (pkg/rules RuleInfo).
export interface EffectiveRule {
  name: string;
  priority: string;
  source: string;
  tags: string[] | null;
  enabled: boolean;
  file: string;
  line?: number;
  mitre?: string[] | null;
  // A rule of Falco's default ruleset (falco_rules.yaml), with its priority, source and tags and the files' overrides.
  default?: boolean;
}

export interface ValidateResult {
  diagnostics: RuleDiagnostic[];
  rules: EffectiveRule[];
  macros: number;
  lists: number;
}

export interface CatalogField {
  name: string;
  type: string;
  arg: 'none' | 'required' | 'optional';
  argKind?: string;
  source: string;
  deprecated?: boolean;
}

export interface RulesCatalog {
  fields: CatalogField[];
  operators: Array<{ op: string; kind: string }>;
  modifiers: string[];
  transformers: string[];
  sources: string[];
  macros: string[];
  lists: string[];
}

// The catalog as pkg/rules/catalog serialises it: the default ruleset's names may sit under "defaults".
type CatalogAnswer = Partial<RulesCatalog> & { defaults?: { macros?: string[]; lists?: string[] } };

const base = (uid: string) => `/api/datasources/uid/${encodeURIComponent(uid)}/resources/rules`;

// errorMessage turns the backend's {"error": ...} answer (or Grafana's own) into one sentence.
export function errorMessage(e: unknown): string {
  const err = e as { status?: number; data?: { error?: string; message?: string } };
  const text = err?.data?.error ?? err?.data?.message ?? (e instanceof Error ? e.message : undefined);
  if (!text) {
    return 'the Falco datasource did not answer';
  }
  return err?.status ? `${text} (HTTP ${err.status})` : text;
}

// validateRules asks the Falco datasource to load the files after the default ruleset, as Falco would.
export async function validateRules(uid: string, files: RulesFile[]): Promise<ValidateResult> {
  try {
    const res = await lastValueFrom(
      getBackendSrv().fetch<Partial<ValidateResult>>({
        url: `${base(uid)}/validate`,
        method: 'POST',
        data: { files },
        showErrorAlert: false,
        showSuccessAlert: false,
      })
    );
    const d = res.data ?? {};
    return { diagnostics: d.diagnostics ?? [], rules: d.rules ?? [], macros: d.macros ?? 0, lists: d.lists ?? 0 };
  } catch (e) {
    throw new Error(errorMessage(e));
  }
}

// getRulesCatalog fetches what autocomplete offers: fields, operators, and the default ruleset's macros and lists.
export async function getRulesCatalog(uid: string): Promise<RulesCatalog> {
  try {
    const res = await lastValueFrom(
      getBackendSrv().fetch<CatalogAnswer>({ url: `${base(uid)}/catalog`, method: 'GET', showErrorAlert: false })
    );
    const d = res.data ?? {};
    const fields = d.fields ?? [];
    return {
      fields,
      operators: d.operators ?? [],
      modifiers: d.modifiers ?? [],
      transformers: d.transformers ?? [],
      sources: d.sources ?? Array.from(new Set(fields.map((f) => f.source).filter((s) => s !== '*'))).sort(),
      macros: d.macros ?? d.defaults?.macros ?? [],
      lists: d.lists ?? d.defaults?.lists ?? [],
    };
  } catch (e) {
    throw new Error(errorMessage(e));
  }
}

// getLabRules fetches the custom rules the app ships (rules/falco/) from the Falco datasource.
export async function getLabRules(uid: string): Promise<RulesFile[]> {
  try {
    const res = await lastValueFrom(
      getBackendSrv().fetch<{ files?: RulesFile[] }>({ url: `${base(uid)}/lab`, method: 'GET', showErrorAlert: false })
    );
    return res.data?.files ?? [];
  } catch (e) {
    const status = (e as { status?: number })?.status;
    if (status === 404) {
      throw new Error('this Falco datasource does not serve the shipped lab rules (GET rules/lab answered 404)');
    }
    throw new Error(errorMessage(e));
  }
}
