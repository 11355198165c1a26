import { store } from '@grafana/data';
import type { RulesFile } from '../../api/rules';
import { STARTER_FILE } from '../RuleEditor/workingCopy';

// The files last loaded from or deployed to a release, per Falco datasource: local edits are what differs from them.
export interface Baseline {
  namespace: string;
  name: string;
  revision: number;
  files: RulesFile[];
}

export const baselineKey = (datasourceUid: string) => `containersec-security-app.rules.${datasourceUid}.cluster`;

export function loadBaseline(datasourceUid: string): Baseline | undefined {
  const b = store.getObject<Baseline | undefined>(baselineKey(datasourceUid), undefined);
  return Array.isArray(b?.files) ? b : undefined;
}

export function saveBaseline(datasourceUid: string, baseline: Baseline): void {
  try {
    store.setObject(baselineKey(datasourceUid), baseline);
  } catch {
    // A full local storage only costs the "unsaved edits" warning its memory; the working copy matters more.
  }
}

const byName = (files: RulesFile[]) => new Map(files.map((f) => [f.name, f.content]));

export function sameFiles(a: RulesFile[], b: RulesFile[]): boolean {
  const m = byName(b);
  return a.length === b.length && a.every((f) => m.get(f.name) === f.content);
}

// editsLostByLoading names the working copy's files whose edits loading `incoming` would throw away: none when the
// working copy is what the cluster has, what was last loaded or deployed, or the untouched example.
export function editsLostByLoading(current: RulesFile[], incoming: RulesFile[], baseline?: RulesFile[]): string[] {
  if (
    sameFiles(current, incoming) ||
    (baseline && sameFiles(current, baseline)) ||
    sameFiles(current, [STARTER_FILE])
  ) {
    return [];
  }
  const mine = byName(current);
  const theirs = byName(baseline ?? incoming);
  // A file removed since the last load is an edit too; without a baseline, the cluster's other files are not.
  const removed = (baseline ?? []).filter((f) => !mine.has(f.name)).map((f) => `${f.name} (removed)`);
  return [...current.filter((f) => theirs.get(f.name) !== f.content).map((f) => f.name), ...removed];
}
