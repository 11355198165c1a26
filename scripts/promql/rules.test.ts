// The generated rule files: promtool accepts them, they match the library, and each alert fires on its attack and
// stays silent on a quiet baseline.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, it } from 'node:test';
import { parse, stringify } from 'yaml';

import { ALERTS } from '../../src/queries';
import { PLAIN_RULES_FILE, PROMETHEUS_RULE_FILE, prometheusRuleManifest, renderRuleFiles } from '../rules/ruleGroups';
import { ALERT_CASES } from './cases/alerts';
import { runPromtool, runPromtoolTest } from './promtool';

const ROOT = resolve(__dirname, '../..');
const PLAIN = join(ROOT, PLAIN_RULES_FILE);

describe('generated rule files', () => {
  it('promtool check rules accepts the plain rule file', () => {
    assert.match(runPromtool(['check', 'rules', PLAIN]), /SUCCESS: 34 rules found/);
  });

  it("promtool check rules accepts the PrometheusRule's groups", () => {
    const manifest = parse(readFileSync(join(ROOT, PROMETHEUS_RULE_FILE), 'utf8'));
    assert.equal(manifest.kind, 'PrometheusRule');
    const out = runPromtool(['check', 'rules', 'groups.yaml'], {
      'groups.yaml': stringify({ groups: manifest.spec.groups }),
    });
    assert.match(out, /SUCCESS: 34 rules found/);
  });

  it('promtool check rules rejects a broken expression (the check can fail)', () => {
    assert.throws(
      () =>
        runPromtool(['check', 'rules', 'bad.yaml'], {
          'bad.yaml': stringify({ groups: [{ name: 'g', rules: [{ record: 'x', expr: 'sum(' }] }] }),
        }),
      /failed/
    );
  });

  it('are what the library generates today (the committed files are not stale)', () => {
    for (const [path, content] of Object.entries(renderRuleFiles())) {
      assert.equal(readFileSync(join(ROOT, path), 'utf8'), content, `${path} is stale: run npm run generate:rules`);
    }
  });

  it('label the PrometheusRule with the chosen kube-prometheus-stack release', () => {
    assert.equal(parse(prometheusRuleManifest('monitoring')).metadata.labels.release, 'monitoring');
    assert.equal(
      parse(readFileSync(join(ROOT, PROMETHEUS_RULE_FILE), 'utf8')).metadata.labels.release,
      'kube-prometheus-stack'
    );
    assert.throws(() => prometheusRuleManifest('Bad_Release'), /invalid release "Bad_Release"/);
  });
});

describe('alerts under promtool', () => {
  it('has an attack and a quiet case for every alert', () => {
    for (const a of ALERTS) {
      const cases = ALERT_CASES.filter((c) => c.alert === a.alert);
      assert.ok(
        cases.some((c) => c.expected.length > 0),
        `${a.alert} has no firing case`
      );
      assert.ok(
        cases.some((c) => c.expected.length === 0),
        `${a.alert} has no quiet case`
      );
    }
  });

  for (const c of ALERT_CASES) {
    it(`${c.alert}: ${c.name}`, () => {
      runPromtoolTest(
        {
          series: c.series,
          alertTests: [c.evalTime, ...(c.alsoAt ?? [])].map((evalTime) => ({
            alert: c.alert,
            evalTime,
            expected: c.expected,
          })),
        },
        [PLAIN]
      );
    });
  }
});
