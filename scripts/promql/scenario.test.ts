// The query library on a real Prometheus: a seeded day of a small cluster (scripts/promql/scenario) with the attacks
// users try first at known times. Each attack's headline queries must put the attacking pod or node on top while it
// happens, and not in the quiet hour; hostile parameter values must select exactly their own series.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';

import {
  alertExpression,
  ALERTS,
  buildQuery,
  buildRawQuery,
  EXPORTERS,
  QUERIES,
  type QueryParams,
} from '../../src/queries';
import {
  Attack,
  ATTACKS,
  CRITICAL_DETECTION,
  DECOY_RULE,
  HOSTILE_RULE,
  INCIDENTS,
  QUIET,
  RULES,
} from './scenario/attacks';
import { RULE_OFFSET_SECONDS } from './scenario/backfill';
import { DECOY_NAMESPACE, DECOY_PODS, HOSTILE_NAMESPACE, HOSTILE_POD } from './scenario/cluster';
import type { Sample } from './scenario/prometheus';
import { interpolate, type ScenarioServer, startScenario, WINDOW_HOURS } from './scenario/server';
import { DATASET_END, DATASET_START, TimeWindow } from './scenario/timeline';

const RATE = '5m';
let scenario: ScenarioServer | undefined;

// One server for both suites, killed and its files removed however the tests end.
after(async () => {
  await scenario?.stop();
  scenario = undefined;
});

async function evaluate(id: string, params: QueryParams, time: number, range = '15m'): Promise<Sample[]> {
  const expr = interpolate(buildQuery(id, { interval: RATE, ...params }), {
    rateInterval: RATE,
    range,
    interval: '30s',
  });
  return scenario!.prometheus.instant(expr, time);
}

// A panel as the app runs it: the entry's own default window ($__interval for time series, $__range for tables).
async function panel(id: string, params: QueryParams, time: number, range: string, interval = '1m'): Promise<Sample[]> {
  const expr = interpolate(buildQuery(id, params), { rateInterval: '2m', range, interval });
  return scenario!.prometheus.instant(expr, time);
}

const key = (s: Sample, labels: string[]) => labels.map((l) => s.metric[l] ?? '').join('/');

// The entity with the highest value, whether it is strictly ahead of every other one, and whether it stands out
// (half again the runner-up: in a quiet hour one of three similar nodes is always ahead by a little).
function leader(
  samples: Sample[],
  labels: string[]
): { top?: string; strict: boolean; standsOut: boolean; table: string } {
  const sorted = [...samples].sort((a, b) => b.value - a.value);
  const table = sorted
    .slice(0, 5)
    .map((s) => `${key(s, labels)}=${s.value}`)
    .join(', ');
  if (sorted.length === 0 || sorted[0].value <= 0) {
    return { strict: false, standsOut: false, table: table || '(empty)' };
  }
  const runnerUp = sorted.length > 1 ? sorted[1].value : 0;
  return {
    top: key(sorted[0], labels),
    strict: sorted[0].value > runnerUp,
    standsOut: sorted[0].value >= 1.5 * runnerUp,
    table,
  };
}

// A time inside the attack where the rate window and the recording rules have seen it: ten minutes in, or its end.
const during = (w: TimeWindow) => Math.min(w.start + 10 * 60, w.end);
const quietTime = QUIET.start + 30 * 60;

interface Headline {
  attack: Attack | { id: string; window: TimeWindow };
  query: string;
  params?: QueryParams;
  by: string[]; // the labels that name the entity in the result
  expected: string; // the entity, from the scenario's own tables
}

const pod = (a: Attack) => `${a.pod.namespace}/${a.pod.name}`;

const HEADLINES: Headline[] = [
  { attack: ATTACKS.cpuBurn, query: 'workload.cpu.top', by: ['namespace', 'pod'], expected: pod(ATTACKS.cpuBurn) },
  {
    attack: ATTACKS.cpuBurn,
    query: 'workload.cpu.limit_ratio',
    by: ['namespace', 'pod'],
    expected: pod(ATTACKS.cpuBurn),
  },
  {
    attack: ATTACKS.nmapScan,
    query: 'network.pod.top_packets',
    by: ['namespace', 'pod'],
    expected: pod(ATTACKS.nmapScan),
  },
  {
    attack: ATTACKS.nmapScan,
    query: 'network.pod.transmit_packets',
    by: ['namespace', 'pod'],
    expected: pod(ATTACKS.nmapScan),
  },
  {
    attack: ATTACKS.nmapScan,
    query: 'network.node.tcp_resets_sent',
    by: ['nodename'],
    expected: ATTACKS.nmapScan.node,
  },
  {
    attack: ATTACKS.nmapScan,
    query: 'network.node.syn_retransmits',
    by: ['nodename'],
    expected: ATTACKS.nmapScan.node,
  },
  {
    attack: ATTACKS.nmapScan,
    query: 'network.node.tcp_active_opens',
    by: ['nodename'],
    expected: ATTACKS.nmapScan.node,
  },
  {
    attack: ATTACKS.nmapScan,
    query: 'network.node.conntrack_usage',
    by: ['nodename'],
    expected: ATTACKS.nmapScan.node,
  },
  { attack: ATTACKS.nmapScan, query: 'falco.events.by_rule', by: ['rule_name'], expected: RULES.networkTool.rule },
  {
    attack: ATTACKS.shellInNginx,
    query: 'falco.events.by_pod',
    by: ['k8s_ns_name', 'k8s_pod_name'],
    expected: pod(ATTACKS.shellInNginx),
  },
  {
    attack: ATTACKS.shellInNginx,
    query: 'falco.events.by_rule',
    by: ['rule_name'],
    expected: RULES.terminalShell.rule,
  },
  {
    attack: ATTACKS.shellInNginx,
    query: 'falco.events.by_namespace',
    by: ['k8s_ns_name'],
    expected: ATTACKS.shellInNginx.pod.namespace,
  },
  { attack: ATTACKS.shellInNginx, query: 'apiserver.exec_attach_portforward', by: ['subresource'], expected: 'exec' },
  {
    attack: ATTACKS.readShadow,
    query: 'falco.events.by_rule',
    params: { minPriority: 'warning' },
    by: ['rule_name'],
    expected: RULES.readSensitiveFile.rule,
  },
  {
    attack: ATTACKS.readShadow,
    query: 'falco.events.by_pod',
    params: { rule: RULES.readSensitiveFile.rule },
    by: ['k8s_ns_name', 'k8s_pod_name'],
    expected: pod(ATTACKS.readShadow),
  },
  {
    attack: ATTACKS.curlInContainer,
    query: 'falco.events.by_rule',
    by: ['rule_name'],
    expected: RULES.curlInContainer.rule,
  },
  {
    attack: ATTACKS.curlInContainer,
    query: 'falco.events.by_pod',
    by: ['k8s_ns_name', 'k8s_pod_name'],
    expected: pod(ATTACKS.curlInContainer),
  },
  {
    attack: ATTACKS.privilegedPod,
    query: 'posture.privileged_launches',
    by: ['rule_name'],
    expected: RULES.launchPrivileged.rule,
  },
  {
    attack: ATTACKS.privilegedPod,
    query: 'falco.events.by_pod',
    params: { rule: RULES.launchPrivileged.rule },
    by: ['k8s_ns_name', 'k8s_pod_name'],
    expected: pod(ATTACKS.privilegedPod),
  },
  {
    attack: ATTACKS.privilegedPod,
    query: 'posture.kyverno.violations',
    by: ['policy_name'],
    expected: 'disallow-privileged-containers',
  },
  {
    attack: { id: 'kernelDrops', window: INCIDENTS.kernelDrops },
    query: 'falco.health.kernel_drops',
    by: ['hostname'],
    expected: INCIDENTS.kernelDrops.node,
  },
  {
    attack: { id: 'kernelDrops', window: INCIDENTS.kernelDrops },
    query: 'falco.health.queue_drops',
    by: ['hostname'],
    expected: INCIDENTS.kernelDrops.node,
  },
];

describe('the query library on a real Prometheus over the scenario day', { timeout: 600_000 }, () => {
  before(async () => {
    scenario = await startScenario((line) => console.log(`# ${line}`));
    console.log(`# ${scenario.series} series, ${scenario.samples} samples`);
  });
  it('serves every generated series and sample of the day, one block per window', async () => {
    const s = scenario!;
    const windowMs = WINDOW_HOURS * 3600_000;
    assert.ok(s.series >= 5000, `${s.series} series`);
    assert.equal(s.seriesBlocks.length, (DATASET_END - DATASET_START) / (WINDOW_HOURS * 3600));
    s.seriesBlocks.forEach((b, i) => assert.equal(b.minTime, DATASET_START * 1000 + i * windowMs));
    // Every series but the recorded ones, counted by Prometheus; samples per metric name (functions drop the name).
    const served = await s.prometheus.series(
      '{__name__=~".+", __name__!~"containersec:.*"}',
      DATASET_START,
      DATASET_END
    );
    assert.equal(served.length, s.series);
    let samples = 0;
    for (const name of new Set(served.map((m) => m.__name__))) {
      // A range selector's left end is exclusive: 25h reaches before the first sample.
      const [count] = await s.prometheus.instant(`sum(count_over_time(${name}[25h]))`, DATASET_END);
      samples += count.value;
    }
    assert.equal(samples, s.samples);
  });

  it('records every recording rule half a minute into each minute, on every run (the offset promtool derives from the group)', async () => {
    const s = scenario!;
    const records = ['containersec:falco_rule_matches:count1m', 'containersec:pod_falco_events:1h'];
    for (const record of records) {
      const stamps = await s.prometheus.instant(`timestamp(${record})`, CRITICAL_DETECTION.start + 300);
      assert.ok(stamps.length > 0, record);
      const offsets = new Set(stamps.map((r) => Math.floor(r.value) % 60));
      assert.deepEqual([...offsets], [RULE_OFFSET_SECONDS], record);
    }
  });

  it('falcosidekick is present from its first scrape, before its first event creates its counters', async () => {
    const s = scenario!;
    const firstMinute = [DATASET_START, DATASET_START + 60] as const;
    assert.deepEqual(await s.prometheus.series('falcosecurity_falcosidekick_inputs_total', ...firstMinute), []);
    const probed = await s.prometheus.series(EXPORTERS.falcosidekick.probeMetric, ...firstMinute);
    assert.deepEqual([...new Set(probed.map((m) => m.job))], ['falco-falcosidekick']);
  });

  for (const h of HEADLINES) {
    const params = h.params ? ` ${JSON.stringify(h.params)}` : '';
    it(`${h.attack.id}: ${h.query}${params} puts ${h.expected.replace(/\n/g, '\\n')} on top during the attack`, async () => {
      const result = leader(await evaluate(h.query, h.params ?? {}, during(h.attack.window)), h.by);
      assert.equal(result.top, h.expected, `top entries: ${result.table}`);
      assert.ok(result.strict, `${h.expected} ties with another entry: ${result.table}`);
    });
    it(`${h.attack.id}: ${h.query}${params} does not single out ${h.expected} in the quiet hour`, async () => {
      const result = leader(await evaluate(h.query, h.params ?? {}, quietTime), h.by);
      assert.ok(!(result.top === h.expected && result.standsOut), `quiet hour already singles it out: ${result.table}`);
    });
  }

  it('cpuBurn: workload.near_limits lists the burning pod only while it burns', async () => {
    const burning = (samples: Sample[]) =>
      samples.filter((s) => key(s, ['namespace', 'pod']) === pod(ATTACKS.cpuBurn)).map((s) => s.metric.resource);
    assert.deepEqual(burning(await evaluate('workload.near_limits', {}, during(ATTACKS.cpuBurn.window) + 300)), [
      'cpu',
    ]);
    assert.deepEqual(burning(await evaluate('workload.near_limits', {}, quietTime)), []);
  });

  it('falcoDown: falco.health.nodes_missing counts the node whose Falco crash-loops, and none in the quiet hour', async () => {
    const [down] = await evaluate('falco.health.nodes_missing', {}, INCIDENTS.falcoDown.start + 30 * 60);
    const [quiet] = await evaluate('falco.health.nodes_missing', {}, quietTime);
    assert.equal(down.value, 1);
    assert.equal(quiet.value, 0);
  });

  it('falcoDown and buildAgentCrashLoop: workload.crashloop lists exactly the crash-looping pods', async () => {
    const t = INCIDENTS.falcoDown.start + 30 * 60 + 60;
    const crashing = (await evaluate('workload.crashloop', {}, t)).map((s) => key(s, ['namespace', 'pod'])).sort();
    const falco = (await evaluate('falco.health.up_by_node', {}, t))
      .filter((s) => s.value === 1)
      .map((s) => s.metric.hostname);
    assert.equal(crashing.length, 1, `crash-looping: ${crashing.join(', ')}`);
    assert.ok(crashing[0].startsWith('falco/falco-'), crashing[0]);
    assert.ok(!falco.includes(INCIDENTS.falcoDown.node), `Falco still reported on ${INCIDENTS.falcoDown.node}`);
    const agent = await evaluate('workload.crashloop', {}, INCIDENTS.buildAgentCrashLoop.start + 30 * 60 + 60);
    assert.deepEqual(
      agent.map((s) => key(s, ['namespace', 'pod'])),
      [`dev/${INCIDENTS.buildAgentCrashLoop.pod.name}`]
    );
  });

  it('rulesFileChange: falco.health.rules_file_changes sees one change of the custom rules file around it', async () => {
    const around = await evaluate(
      'falco.health.rules_file_changes',
      { interval: '1h' },
      INCIDENTS.rulesFileChange.start + 1800
    );
    const quiet = await evaluate('falco.health.rules_file_changes', { interval: '1h' }, quietTime);
    const changed = (samples: Sample[]) => samples.filter((s) => s.value > 0).map((s) => s.metric.file_name);
    assert.deepEqual(changed(around), ['containersec-rules.yaml']);
    assert.deepEqual(changed(quiet), []);
  });
});

describe('the single Critical detection of the day', { timeout: 600_000 }, () => {
  before(async () => {
    scenario ??= await startScenario((line) => console.log(`# ${line}`));
  });
  const cart = `${ATTACKS.curlInContainer.pod.namespace}/${ATTACKS.curlInContainer.pod.name}`;
  const minute = CRITICAL_DETECTION.start + 60; // the first interval after its first scrape
  const afterwards = CRITICAL_DETECTION.start + 3 * 3600; // the event is in a 6 h range, long after it happened
  const critical: QueryParams = { minPriority: 'critical' };

  it('is a single event: one native series and one falcosidekick series, each born at 1', async () => {
    const native = await scenario!.prometheus.instant(
      `falcosecurity_falco_rules_matches_total{rule_name="${RULES.dropAndExecute.rule}"}`,
      afterwards
    );
    const sidekick = await scenario!.prometheus.instant(
      `falcosecurity_falcosidekick_falco_events_total{rule="${RULES.dropAndExecute.rule}"}`,
      afterwards
    );
    assert.deepEqual(
      [...native, ...sidekick].map((s) => s.value),
      [1, 1]
    );
    const before = await scenario!.prometheus.instant(
      `count_over_time(falcosecurity_falco_rules_matches_total{rule_name="${RULES.dropAndExecute.rule}"}[12h])`,
      CRITICAL_DETECTION.start
    );
    assert.deepEqual(before, [], 'the series existed before its first match');
  });

  for (const source of ['native', 'falcosidekick'] as const) {
    const p: QueryParams = { ...critical, falcoSource: source };
    it(`${source}: "Critical and above" counts it while it is in the range, and 0 once it is not`, async () => {
      for (const [t, range] of [
        [minute, '15m'],
        [afterwards, '6h'],
      ] as const) {
        const [count] = await panel('falco.events.critical_and_above', { falcoSource: source }, t, range);
        assert.equal(count?.value, 1, `at ${range} range`);
      }
      const later = await panel('falco.events.critical_and_above', { falcoSource: source }, afterwards, '1h');
      assert.ok(later.length === 0 || later[0].value === 0, JSON.stringify(later));
    });
    it(`${source}: it tops "Top rules" at minimum priority critical, during and long after`, async () => {
      for (const [t, range] of [
        [minute, '15m'],
        [afterwards, '6h'],
      ] as const) {
        const rows = await panel('falco.rules.top', p, t, range);
        const rule = source === 'native' ? 'rule_name' : 'rule';
        assert.deepEqual(
          rows.map((r) => [r.metric[rule], r.value]),
          [[RULES.dropAndExecute.rule, 1]]
        );
      }
    });
    it(`${source}: the events-by-rule and by-priority time series show it in its minute`, async () => {
      const rule = source === 'native' ? 'rule_name' : 'rule';
      const byRule = await panel('falco.events.by_rule', p, minute, '1h');
      assert.deepEqual(
        byRule.filter((r) => r.value > 0).map((r) => [r.metric[rule], r.value]),
        [[RULES.dropAndExecute.rule, 1]]
      );
      const byPriority = await panel('falco.events.by_priority', p, minute, '1h');
      assert.equal(
        byPriority.reduce((sum, r) => sum + r.value, 0),
        1,
        JSON.stringify(byPriority)
      );
    });
  }

  it('falcosidekick: the cart pod tops events by pod at minimum priority critical', async () => {
    const rows = await panel('falco.events.by_pod', critical, minute, '1h');
    const result = leader(rows, ['k8s_ns_name', 'k8s_pod_name']);
    assert.equal(result.top, cart, result.table);
    assert.ok(result.strict, result.table);
  });

  // The series panel's topN ranks by the range's count, never the last point. Three hours after the curl attack, in a
  // 6 h range, the cart pod has the most events (23, its attack's) but 0 in the last interval, while
  // kube-state-metrics (21 in the range) is busy at the end: a rank by the last point would show kube-state-metrics.
  it('falcosidekick: events by pod at topN 1 keeps the cart pod hours after its attack, not the pod busy at the end', async () => {
    const rows = await panel('falco.events.by_pod', { topN: 1 }, afterwards, '6h');
    assert.deepEqual(
      rows.map((r) => [`${r.metric.k8s_ns_name}/${r.metric.k8s_pod_name}`, r.value]),
      [[cart, 0]]
    );
    const all = await panel('falco.events.by_pod', {}, afterwards, '6h');
    assert.ok(
      all.some((r) => r.value > 0 && `${r.metric.k8s_ns_name}/${r.metric.k8s_pod_name}` !== cart),
      `another pod is busy at the end: ${JSON.stringify(all)}`
    );
  });

  it('FalcoCriticalEvent fires on it: its expression has the rule just after the event', async () => {
    const spec = ALERTS.find((a) => a.alert === 'FalcoCriticalEvent')!;
    const expr = alertExpression(spec, buildRawQuery);
    const firing = await scenario!.prometheus.instant(expr, CRITICAL_DETECTION.start + 60);
    assert.deepEqual(
      firing.map((s) => s.metric.rule_name),
      [RULES.dropAndExecute.rule]
    );
    assert.deepEqual(await scenario!.prometheus.instant(expr, CRITICAL_DETECTION.start + 600), []);
  });
});

describe('the risk score over the day', { timeout: 600_000 }, () => {
  before(async () => {
    scenario ??= await startScenario((line) => console.log(`# ${line}`));
  });
  const name = (a: { pod: { namespace: string; name: string } }) => `${a.pod.namespace}/${a.pod.name}`;

  it('ranks the intruded pods above the pod at its CPU limit and the crash-looping pods', async () => {
    const rows = await panel('risk.pod_score.top', { topN: 100 }, DATASET_END - 60, '24h');
    const score = new Map(rows.map((r) => [key(r, ['namespace', 'pod']), r.value]));
    const table = rows
      .slice(0, 8)
      .map((r) => `${key(r, ['namespace', 'pod'])}=${r.value}`)
      .join(', ');
    const shellReadPod = score.get(name(ATTACKS.shellInNginx)) ?? 0; // a shell, then /etc/shadow read
    const criticalPod = score.get(name(ATTACKS.curlInContainer)) ?? 0; // curl, then the critical detection
    const cpuPod = score.get(name(ATTACKS.cpuBurn)) ?? 0;
    const crashLooping = [
      `dev/${INCIDENTS.buildAgentCrashLoop.pod.name}`,
      ...rows.map((r) => key(r, ['namespace', 'pod'])).filter((k) => k.startsWith('falco/falco-')),
    ].map((k) => score.get(k) ?? 0);
    assert.ok(cpuPod > 0, `the CPU-pinned pod scores: ${table}`);
    for (const other of [cpuPod, ...crashLooping]) {
      assert.ok(shellReadPod > other, `shell + sensitive file read ${shellReadPod} <= ${other}: ${table}`);
      assert.ok(criticalPod > other, `critical detection ${criticalPod} <= ${other}: ${table}`);
    }
  });

  it('keeps the CPU-pinned pod scored after its burn ended, while the range holds it', async () => {
    const after = ATTACKS.cpuBurn.window.end + 3600;
    const rows = await panel(
      'risk.pod_score.top',
      { topN: 100, namespace: ATTACKS.cpuBurn.pod.namespace },
      after,
      '3h'
    );
    const burning = rows.find((r) => key(r, ['namespace', 'pod']) === name(ATTACKS.cpuBurn));
    assert.ok((burning?.value ?? 0) >= 20, JSON.stringify(rows.slice(0, 5)));
  });

  it('keeps the scanning pod on top of "Top pods by packets" an hour after the scan', async () => {
    const rows = await panel('network.pod.top_packets', {}, ATTACKS.nmapScan.window.end + 3600, '3h');
    const result = leader(rows, ['namespace', 'pod']);
    assert.equal(result.top, name(ATTACKS.nmapScan), result.table);
  });

  it('counts the API denial burst where it shows: 403s and no-opinion authorization results', async () => {
    const t = INCIDENTS.apiserverDenials.start + 600;
    const rows = await evaluate('apiserver.authz.denials', {}, t);
    const refused = Object.fromEntries(rows.map((r) => [r.metric.refused, r.value]));
    assert.ok(refused['403 responses'] > 1, JSON.stringify(refused));
    assert.ok(refused['authorization no-opinion'] > 1, JSON.stringify(refused));
    const denied = await scenario!.prometheus.instant('apiserver_authorization_decisions_total{decision="denied"}', t);
    assert.deepEqual(denied, [], 'RBAC never answers Deny');
  });
});

describe('hostile parameter values on a real Prometheus', { timeout: 600_000 }, () => {
  before(async () => {
    // Normally started by the suite above; started here when this suite runs alone (--test-name-pattern).
    scenario ??= await startScenario((line) => console.log(`# ${line}`));
  });

  // The hostile series live for most of the day; one wide window sees every hostile pod and rule.
  const t = DATASET_END - 60;
  const wide: QueryParams = { interval: '23h' };
  const POD_LABELS = ['pod', 'k8s_pod_name'];
  const NAMESPACE_LABELS = ['namespace', 'k8s_ns_name'];
  const podOf = (s: Sample) => POD_LABELS.map((l) => s.metric[l]).find((v) => v !== undefined);
  const namespaceOf = (s: Sample) => NAMESPACE_LABELS.map((l) => s.metric[l]).find((v) => v !== undefined);

  it('workload.cpu.by_pod selects only the hostile pod, not the decoys that differ where a metacharacter would match', async () => {
    const rows = await evaluate('workload.cpu.by_pod', { namespace: HOSTILE_NAMESPACE, pod: HOSTILE_POD }, t);
    assert.deepEqual(
      rows.map((s) => [s.metric.namespace, s.metric.pod]),
      [[HOSTILE_NAMESPACE, HOSTILE_POD]]
    );
    const all = await evaluate('workload.cpu.by_pod', { namespace: HOSTILE_NAMESPACE }, t);
    assert.deepEqual(
      all.map((s) => s.metric.pod).sort(),
      [HOSTILE_POD, ...DECOY_PODS].sort(),
      'the decoys exist in the data'
    );
    const other = await evaluate('workload.cpu.by_pod', { namespace: DECOY_NAMESPACE, pod: HOSTILE_POD }, t);
    assert.deepEqual(
      other.map((s) => s.metric.namespace),
      [DECOY_NAMESPACE]
    );
  });

  it('falco.events.by_rule selects only the hostile rule name, not the decoy rule', async () => {
    const rows = await evaluate('falco.events.by_rule', { ...wide, rule: HOSTILE_RULE.rule }, t);
    assert.deepEqual(
      rows.map((s) => s.metric.rule_name),
      [HOSTILE_RULE.rule]
    );
    const both = await evaluate('falco.events.by_rule', { ...wide, rule: DECOY_RULE.rule }, t);
    assert.deepEqual(
      both.map((s) => s.metric.rule_name),
      [DECOY_RULE.rule]
    );
  });

  const takesPod = QUERIES.filter((q) => q.params.includes('pod'));
  let hostileRows = 0;
  for (const q of takesPod) {
    it(`${q.id} with the hostile namespace and pod returns only their rows, the same rows the unfiltered query has for them`, async () => {
      const filtered = await evaluate(q.id, { ...wide, namespace: HOSTILE_NAMESPACE, pod: HOSTILE_POD }, t);
      for (const s of filtered) {
        const p = podOf(s);
        const ns = namespaceOf(s);
        assert.ok(p === undefined || p === HOSTILE_POD, `row of another pod: ${JSON.stringify(s.metric)}`);
        assert.ok(
          ns === undefined || ns === HOSTILE_NAMESPACE,
          `row of another namespace: ${JSON.stringify(s.metric)}`
        );
      }
      hostileRows += filtered.length;
      const unfiltered = await evaluate(q.id, wide, t);
      if (!unfiltered.some((s) => podOf(s) !== undefined)) {
        return; // the result has no pod label to compare by (an aggregate over the selection)
      }
      const mine = (rows: Sample[]) =>
        rows
          .filter((s) => podOf(s) === HOSTILE_POD && namespaceOf(s) === HOSTILE_NAMESPACE)
          .map((s) => JSON.stringify(s))
          .sort();
      assert.deepEqual(filtered.map((s) => JSON.stringify(s)).sort(), mine(unfiltered));
    });
  }

  it('the hostile pod has rows in most pod-filtered queries, so the checks above compared something', () => {
    assert.ok(hostileRows >= takesPod.length / 2, `only ${hostileRows} rows over ${takesPod.length} queries`);
  });
});
