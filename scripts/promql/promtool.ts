// Runs `promtool test rules` on test groups written from TypeScript definitions, one promtool run per case so each
// case is one node:test test with promtool's own failure message.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';

export type Labels = Record<string, string>;

export interface InputSeries {
  metric: string;
  labels: Labels;
  values: string; // promtool's expanding notation, e.g. '0+60x20' (one sample per minute)
}

export interface Sample {
  labels: Labels;
  value: number;
}

// Label values are written with JSON string escapes, which PromQL reads the same way: independent of the library's
// own escaping, so a wrong escape in the library cannot hide in the test data.
export function seriesText(metric: string, labels: Labels): string {
  const pairs = Object.entries(labels).map(([k, v]) => `${k}=${JSON.stringify(v)}`);
  return `${metric}{${pairs.join(', ')}}`;
}

export interface ExprTest {
  expr: string;
  evalTime: string;
  expected: Sample[];
}

export interface AlertTest {
  alert: string;
  evalTime: string;
  expected: Array<{ labels: Labels; annotations?: Labels }>;
}

export interface PromtoolGroup {
  series: InputSeries[];
  exprTests?: ExprTest[];
  alertTests?: AlertTest[];
}

export function promtoolTestFile(group: PromtoolGroup, ruleFiles: string[]): string {
  return stringify(
    {
      rule_files: ruleFiles,
      evaluation_interval: '1m',
      tests: [
        {
          interval: '1m',
          input_series: group.series.map((s) => ({ series: seriesText(s.metric, s.labels), values: s.values })),
          promql_expr_test: (group.exprTests ?? []).map((t) => ({
            expr: t.expr,
            eval_time: t.evalTime,
            exp_samples: t.expected.map((e) => ({ labels: seriesText('', e.labels), value: e.value })),
          })),
          alert_rule_test: (group.alertTests ?? []).map((t) => ({
            alertname: t.alert,
            eval_time: t.evalTime,
            exp_alerts: t.expected.map((e) => ({
              exp_labels: e.labels,
              ...(e.annotations ? { exp_annotations: e.annotations } : {}),
            })),
          })),
        },
      ],
    },
    { lineWidth: 0 }
  );
}

// Throws with promtool's output when the case fails.
export function runPromtool(args: string[], files: Record<string, string> = {}): string {
  const dir = mkdtempSync(join(tmpdir(), 'containersec-promtool-'));
  try {
    for (const [name, content] of Object.entries(files)) {
      writeFileSync(join(dir, name), content);
    }
    return execFileSync('promtool', args, { cwd: dir, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  } catch (err) {
    const e = err as { stdout?: string; stderr?: string; message: string };
    throw new Error(`promtool ${args.join(' ')} failed:\n${e.stdout ?? ''}${e.stderr ?? ''}` || e.message);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export function runPromtoolTest(group: PromtoolGroup, ruleFiles: string[] = []): string {
  return runPromtool(['test', 'rules', 'case.yaml'], { 'case.yaml': promtoolTestFile(group, ruleFiles) });
}
