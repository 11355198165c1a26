import type { RulesCatalog } from '../../api/rules';

export type CompletionContext =
  | { kind: 'itemKind' }
  | { kind: 'itemKey'; item: string }
  | { kind: 'condition' }
  | { kind: 'output' }
  | { kind: 'priority' }
  | { kind: 'source' }
  | { kind: 'none' };

export interface Suggestion {
  label: string;
  kind: 'field' | 'operator' | 'function' | 'macro' | 'list' | 'keyword' | 'value';
  detail?: string;
  insertText: string;
}

// The keys Falco accepts per item kind (pkg/rules itemKeys), and the top-level item kinds.
const ITEM_KINDS = ['rule', 'macro', 'list', 'required_engine_version', 'required_plugin_versions'];
const ITEM_KEYS: Record<string, string[]> = {
  rule: [
    'condition',
    'output',
    'desc',
    'priority',
    'source',
    'tags',
    'enabled',
    'exceptions',
    'override',
    'skip-if-unknown-filter',
    'warn_evttypes',
  ],
  macro: ['condition', 'override'],
  list: ['items', 'override'],
};
const PRIORITIES = ['EMERGENCY', 'ALERT', 'CRITICAL', 'ERROR', 'WARNING', 'NOTICE', 'INFORMATIONAL', 'DEBUG'];
const KEYWORDS = ['and', 'or', 'not'];

const KEY_LINE = /^(\s*)(-\s+)?([A-Za-z_][\w-]*):(?:\s+(.*))?$/;
const PARTIAL_KEY = /^(\s*)(-\s+)?[A-Za-z_-]*$/;

// indentOf is where a line's content starts, counting a list dash as indentation (as YAML nesting does).
function indentOf(text: string): number {
  return /^(\s*(?:-\s+)?)/.exec(text)![1].length;
}

function valueContext(key: string): CompletionContext {
  switch (key) {
    case 'condition':
    case 'output':
    case 'priority':
    case 'source':
      return { kind: key };
    default:
      return { kind: 'none' };
  }
}

// itemKindAbove finds the kind of the rules file item (rule, macro, list) the line belongs to.
function itemKindAbove(lines: string[], from: number): string | undefined {
  for (let i = from; i >= 0; i--) {
    const m = /^-\s+([A-Za-z_][\w-]*):/.exec(lines[i]);
    if (m) {
      return m[1];
    }
  }
  return undefined;
}

// contextAt says what belongs at the cursor (1-based line and column) by finding the YAML key whose value holds it:
// a more indented line under a condition or output continues that value, whatever it holds.
export function contextAt(lines: string[], lineNumber: number, column: number): CompletionContext {
  const before = (lines[lineNumber - 1] ?? '').slice(0, column - 1);
  const indent = indentOf(before);
  for (let i = lineNumber - 2; i >= 0; i--) {
    const text = lines[i];
    if (text.trim() === '' || text.trimStart().startsWith('#') || indentOf(text) >= indent) {
      continue;
    }
    const parent = KEY_LINE.exec(text);
    if (parent && ['condition', 'output'].includes(parent[3])) {
      return valueContext(parent[3]);
    }
    break;
  }
  const own = KEY_LINE.exec(before);
  if (own && own[4] !== undefined) {
    return valueContext(own[3]);
  }
  if (!PARTIAL_KEY.test(before)) {
    return { kind: 'none' };
  }
  if (/^-\s+/.test(before) || indent === 0) {
    return { kind: 'itemKind' };
  }
  return { kind: 'itemKey', item: itemKindAbove(lines, lineNumber - 2) ?? 'rule' };
}

// wordStart is the 1-based column where the token being typed starts; field names hold dots and brackets.
export function wordStart(textBefore: string): number {
  return textBefore.length - (/[\w.\-[\]/]*$/.exec(textBefore)?.[0].length ?? 0) + 1;
}

// namesDefinedIn lists the macros and lists a rules file defines itself, so they complete like the defaults.
export function namesDefinedIn(text: string): { macros: string[]; lists: string[] } {
  const macros: string[] = [];
  const lists: string[] = [];
  for (const m of text.matchAll(/^-\s+(macro|list):\s*([A-Za-z_]\w*)\s*$/gm)) {
    (m[1] === 'macro' ? macros : lists).push(m[2]);
  }
  return { macros, lists };
}

function fieldSuggestions(catalog: RulesCatalog | undefined): Suggestion[] {
  return (catalog?.fields ?? [])
    .filter((f) => !f.deprecated)
    .map((f) => ({
      label: f.name,
      kind: 'field',
      detail: `${f.type}${f.arg !== 'none' ? ` [${f.arg} ${f.argKind ?? 'argument'}]` : ''} · ${f.source === '*' ? 'any source' : f.source}`,
      insertText: f.name,
    }));
}

// suggestionsFor lists what can be typed next: fields after '%' in an output; fields, operators, transformers, macros
// and lists in a condition; priorities and sources as values; the keys an item of that kind may have.
export function suggestionsFor(
  ctx: CompletionContext,
  catalog: RulesCatalog | undefined,
  textBefore: string,
  own: { macros: string[]; lists: string[] } = { macros: [], lists: [] }
): Suggestion[] {
  switch (ctx.kind) {
    case 'output':
      return /%[\w.\-[\]/]*$/.test(textBefore) ? fieldSuggestions(catalog) : [];
    case 'condition': {
      const macros = Array.from(new Set([...(catalog?.macros ?? []), ...own.macros]));
      const lists = Array.from(new Set([...(catalog?.lists ?? []), ...own.lists]));
      return [
        ...fieldSuggestions(catalog),
        ...(catalog?.operators ?? []).map<Suggestion>((o) => ({
          label: o.op,
          kind: 'operator',
          detail: o.kind,
          insertText: o.op,
        })),
        ...(catalog?.modifiers ?? []).map<Suggestion>((m) => ({
          label: m,
          kind: 'operator',
          detail: 'modifier',
          insertText: m,
        })),
        ...(catalog?.transformers ?? []).map<Suggestion>((t) => ({
          label: t,
          kind: 'function',
          detail: 'transformer',
          insertText: `${t}(`,
        })),
        ...macros.map<Suggestion>((m) => ({ label: m, kind: 'macro', detail: 'macro', insertText: m })),
        ...lists.map<Suggestion>((l) => ({ label: l, kind: 'list', detail: 'list', insertText: l })),
        ...KEYWORDS.map<Suggestion>((k) => ({ label: k, kind: 'keyword', insertText: k })),
      ];
    }
    case 'priority':
      return PRIORITIES.map((p) => ({ label: p, kind: 'value', insertText: p }));
    case 'source':
      return (catalog?.sources ?? []).map((s) => ({ label: s, kind: 'value', insertText: s }));
    case 'itemKind':
      return ITEM_KINDS.map((k) => ({ label: k, kind: 'keyword', insertText: `${k}: ` }));
    case 'itemKey':
      return (ITEM_KEYS[ctx.item] ?? []).map((k) => ({ label: k, kind: 'keyword', insertText: `${k}: ` }));
    default:
      return [];
  }
}
