import { store } from '@grafana/data';
import type { RulesFile } from '../../api/rules';

// The edited files live in this browser until deployed, one working copy per Falco datasource.
export const workingCopyKey = (datasourceUid: string) => `containersec-security-app.rules.${datasourceUid}`;

export const STARTER_FILE: RulesFile = {
  name: 'custom_rules.yaml',
  content: `# Custom Falco rules: they load after Falco's default ruleset, so its macros and lists can be used here.
- rule: Shell in a container
  desc: An interactive shell started inside a container
  condition: spawned_process and container and proc.name in (shell_binaries)
  output: Shell in a container (user=%user.name container=%container.name command=%proc.cmdline)
  priority: WARNING
  tags: [container, shell, mitre_execution]
`,
};

export interface LoadedWorkingCopy {
  files: RulesFile[];
  // Set when the stored copy could not be read; it was kept aside under this key rather than overwritten.
  keptAside?: string;
  // Stored names the editor cannot use (taken twice, a path, not .yaml), each with the fresh name its file got.
  renamed?: Array<{ from: string; to: string }>;
}

function isRulesFiles(v: unknown): v is RulesFile[] {
  return Array.isArray(v) && v.every((f) => typeof f?.name === 'string' && typeof f?.content === 'string');
}

export function loadWorkingCopy(datasourceUid: string): LoadedWorkingCopy {
  const key = workingCopyKey(datasourceUid);
  if (!store.exists(key)) {
    return { files: [STARTER_FILE] };
  }
  const raw: string = store.get(key);
  try {
    const parsed = JSON.parse(raw)?.files;
    if (isRulesFiles(parsed)) {
      return withUsableNames(parsed);
    }
  } catch {
    // Not JSON: kept aside below.
  }
  const aside = `${key}.unreadable`;
  store.set(aside, raw);
  return { files: [STARTER_FILE], keptAside: aside };
}

// Local storage is the user's to edit: a name the editor keys files by must be valid and unique, or one edit would
// land in two files and a bad name would fail every validation. Contents are kept whole under fresh names.
function withUsableNames(stored: RulesFile[]): LoadedWorkingCopy {
  const files: RulesFile[] = [];
  const renamed: Array<{ from: string; to: string }> = [];
  for (const f of stored) {
    const taken = files.map((o) => o.name);
    let name = f.name;
    if (fileNameProblem(name, taken)) {
      name = newFileName([...taken, ...stored.map((o) => o.name)]);
      renamed.push({ from: f.name, to: name });
    }
    files.push({ name, content: f.content });
  }
  return renamed.length > 0 ? { files, renamed } : { files };
}

// saveWorkingCopy returns why the copy could not be kept (a full local storage, a blocked one), or undefined.
export function saveWorkingCopy(datasourceUid: string, files: RulesFile[]): string | undefined {
  try {
    store.setObject(workingCopyKey(datasourceUid), { files });
    return undefined;
  } catch (e) {
    return e instanceof Error ? e.message : String(e);
  }
}

// fileNameProblem mirrors the backend's check (pkg/plugin rulesFileName: a ConfigMap key), so a bad name is caught as typed.
export function fileNameProblem(name: string, otherNames: string[]): string | undefined {
  if (name.trim() === '') {
    return 'A rules file needs a name';
  }
  if (name.length > 253) {
    return 'A file name has at most 253 characters';
  }
  if (/[/\\]/.test(name)) {
    return 'A file name cannot contain / or \\';
  }
  if (!/\.ya?ml$/.test(name)) {
    return 'A rules file name ends in .yaml or .yml';
  }
  if (!/^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(name)) {
    return "A file name starts with a letter or digit and holds only letters, digits, '.', '_' and '-'";
  }
  if (otherNames.includes(name)) {
    return `There is already a file named ${name}`;
  }
  return undefined;
}

// newFileName picks custom_rules_N.yaml with the first N not taken.
export function newFileName(existing: string[]): string {
  for (let n = 1; ; n++) {
    const name = n === 1 ? 'custom_rules.yaml' : `custom_rules_${n}.yaml`;
    if (!existing.includes(name)) {
      return name;
    }
  }
}

// withLabFiles adds the shipped files; one whose name is taken gets a fresh name, so no edit is overwritten.
export function withLabFiles(files: RulesFile[], lab: RulesFile[]): RulesFile[] {
  const out = [...files];
  for (const f of lab) {
    const existing = out.find((o) => o.name === f.name);
    if (existing?.content === f.content) {
      continue;
    }
    const name = existing ? `${f.name.replace(/\.ya?ml$/, '')}_shipped.yaml` : f.name;
    out.push({
      name: out.some((o) => o.name === name) ? newFileName(out.map((o) => o.name)) : name,
      content: f.content,
    });
  }
  return out;
}
