import { parse } from 'yaml';
import type { RulesFile } from '../../api/rules';

// What the custom files do to rules defined before them (Falco's default ruleset). Falco's rule loader
// (userspace/engine/rule_loader_reader.cpp; falco-website docs/rules/overriding.md) reads an item naming an existing
// rule as an `override:` of keys with append or replace, the older `append: true`, or an `enabled:` toggle alone.
// Each change in the user's words, with the file that makes it.
export function changesToRules(files: RulesFile[]): Map<string, string[]> {
  const changes = new Map<string, string[]>();
  const add = (rule: string, what: string) => changes.set(rule, [...(changes.get(rule) ?? []), what]);
  for (const file of files) {
    let items: unknown;
    try {
      items = parse(file.content);
    } catch {
      continue; // the validator reports the file's syntax
    }
    if (!Array.isArray(items)) {
      continue;
    }
    for (const item of items) {
      if (!item || typeof item !== 'object' || typeof (item as { rule?: unknown }).rule !== 'string') {
        continue;
      }
      const r = item as Record<string, unknown> & { rule: string };
      const keys = Object.keys(r).filter((k) => !['rule', 'override', 'append'].includes(k));
      if (r.override && typeof r.override === 'object') {
        for (const [key, mode] of Object.entries(r.override as Record<string, unknown>)) {
          const what =
            key === 'enabled'
              ? r.enabled === false
                ? 'disables it'
                : 'enables it'
              : `${mode === 'append' ? 'appends to' : 'replaces'} ${key}`;
          add(r.rule, `${what} (${file.name})`);
        }
      } else if (r.append === true) {
        add(r.rule, `appends to ${keys.join(', ') || 'the rule'} (${file.name})`);
      } else if (keys.length === 1 && keys[0] === 'enabled') {
        add(r.rule, `${r.enabled === false ? 'disables it' : 'enables it'} (${file.name})`);
      }
    }
  }
  return changes;
}
