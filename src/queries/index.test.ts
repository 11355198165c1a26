import {
  ALERTS,
  buildQuery,
  EXPORTERS,
  getQuery,
  legendOf,
  QUERIES,
  RECORDING_RULES,
  recordsRead,
  requiredExporters,
} from './index';
import { parseSelectors, rangeDurations, selects } from './testing/promqlSelectors';
import type { ParamName, QueryParams } from './types';

// The ids other pages are built against: every one must exist.
const CONTRACT_IDS = [
  'falco.events.by_priority',
  'falco.events.by_rule',
  'falco.events.by_source',
  'falco.events.by_tag',
  'falco.events.critical_and_above',
  'falco.events.total',
  'falco.events.by_namespace',
  'falco.events.by_pod',
  'falco.rules.top',
  'falco.events.by_mitre_tactic',
  'falco.health.kernel_drops',
  'falco.health.queue_drops',
  'falco.health.nodes_missing',
  'falco.health.up_by_node',
  'falco.health.versions',
  'falco.health.rules_file_changes',
  'workload.cpu.by_pod',
  'workload.cpu.limit_ratio',
  'workload.cpu.top',
  'workload.memory.working_set',
  'workload.memory.limit_ratio',
  'workload.memory.top',
  'workload.processes',
  'workload.threads',
  'workload.oom_events',
  'workload.restarts',
  'workload.crashloop',
  'workload.near_limits',
  'network.node.tcp_active_opens',
  'network.node.tcp_resets_sent',
  'network.node.syn_retransmits',
  'network.node.listen_drops',
  'network.node.conntrack_usage',
  'network.pod.receive_packets',
  'network.pod.transmit_packets',
  'network.pod.receive_bytes',
  'network.pod.transmit_bytes',
  'network.pod.top_packets',
  'apiserver.requests.unauthorized',
  'apiserver.authn.failures',
  'apiserver.authz.denials',
  'apiserver.secrets.reads_by_verb',
  'apiserver.exec_attach_portforward',
  'apiserver.client_cert_expiry',
  'posture.host_network_pods',
  'posture.kyverno.violations',
  'posture.gatekeeper.violations',
  'posture.trivy.vulnerabilities',
  'posture.privileged_launches',
  'risk.pod_score',
  'risk.pod_score.top',
];

const HOSTILE = 'we"ird\\ .*+?()[]{}|^$\nns 名';
const LABEL_PARAMS: ParamName[] = ['cluster', 'namespace', 'pod', 'node', 'rule'];

// Every parameter an entry takes, filled with a literal (hostile for label params) or a template variable.
function literalParams(params: ParamName[]): QueryParams {
  const p: QueryParams = {};
  for (const name of params) {
    if (LABEL_PARAMS.includes(name)) {
      Object.assign(p, { [name]: `${name}-${HOSTILE}` });
    }
  }
  if (params.includes('minPriority')) {
    p.minPriority = 'warning';
  }
  if (params.includes('topN')) {
    p.topN = 7;
  }
  if (params.includes('interval')) {
    p.interval = '5m';
  }
  return p;
}

function variableParams(params: ParamName[]): QueryParams {
  const p: QueryParams = {};
  for (const name of params.filter((n) => LABEL_PARAMS.includes(n))) {
    Object.assign(p, { [name]: { variable: name } });
  }
  return p;
}

const DURATION_OR_VARIABLE = /^(\d+(ms|s|m|h|d|w|y))+$|^\$__(rate_interval|interval|range)$/;

function expectWellFormed(expr: string) {
  const matchers = parseSelectors(expr);
  for (const d of rangeDurations(expr)) {
    // A subquery's brackets hold range:resolution; each part is a duration or a Grafana variable.
    for (const part of d.split(':')) {
      expect(part).toMatch(DURATION_OR_VARIABLE);
    }
  }
  return matchers;
}

describe('the query library', () => {
  it('provides every id of the contract', () => {
    const ids = new Set(QUERIES.map((q) => q.id));
    expect(CONTRACT_IDS.filter((id) => !ids.has(id))).toEqual([]);
  });

  it('has unique ids', () => {
    const ids = QUERIES.map((q) => q.id);
    expect(ids.length).toBe(new Set(ids).size);
  });

  it('throws a clear error for an unknown id', () => {
    expect(() => getQuery('falco.nope')).toThrow('unknown query id "falco.nope"');
    expect(() => buildQuery('falco.nope')).toThrow(/unknown query id/);
  });

  it('rejects bad non-label parameters by name', () => {
    expect(() => buildQuery('workload.cpu.by_pod', { interval: '5m) or vector(1' })).toThrow(/invalid interval/);
    expect(() => buildQuery('workload.cpu.top', { topN: 0 })).toThrow(/invalid topN 0/);
    expect(() => buildQuery('workload.cpu.top', { topN: 2.5 })).toThrow(/invalid topN/);
    expect(() => buildQuery('falco.events.total', { minPriority: 'severe' as never })).toThrow(
      /invalid minPriority "severe"/
    );
    expect(() => buildQuery('falco.events.total', { falcoSource: 'syslog' as never })).toThrow(/invalid falcoSource/);
  });
});

describe.each(QUERIES.map((q) => [q.id, q] as const))('%s', (id, entry) => {
  it('has its fields filled and related ids that exist', () => {
    expect(entry.title.trim()).not.toBe('');
    expect(entry.description.trim().length).toBeGreaterThan(20);
    expect(entry.unit.trim()).not.toBe('');
    for (const r of entry.related) {
      expect(() => getQuery(r)).not.toThrow();
      expect(r).not.toBe(id);
    }
    expect(entry.exporters({}).length).toBeGreaterThan(0);
    for (const e of requiredExporters(id)) {
      expect(EXPORTERS[e]).toBeDefined();
    }
  });

  it('builds well-formed PromQL with no parameters and adds no workload matcher', () => {
    const expr = buildQuery(id);
    const matchers = expectWellFormed(expr);
    for (const m of matchers) {
      expect(['cluster', 'namespace', 'pod', 'k8s_ns_name', 'k8s_pod_name', 'instance', 'hostname']).not.toContain(
        m.label
      );
      expect(m.value).not.toBe('.*');
    }
  });

  it('selects exactly the hostile literal given for each label parameter', () => {
    const params = literalParams(entry.params);
    const expr = buildQuery(id, params);
    const matchers = expectWellFormed(expr);
    for (const name of entry.params.filter((n) => LABEL_PARAMS.includes(n))) {
      const value = params[name] as string;
      const forParam = matchers.filter((m) => m.value === value);
      expect(forParam.length).toBeGreaterThan(0);
      for (const m of forParam) {
        expect(selects(m, value)).toBe(true);
        expect(selects(m, value.replace('.*', 'xx'))).toBe(false);
      }
    }
  });

  it('writes template variables as $name regex matchers', () => {
    const params = variableParams(entry.params);
    const matchers = expectWellFormed(buildQuery(id, params));
    for (const name of Object.keys(params)) {
      expect(matchers.some((m) => m.op === '=~' && m.value === `$${name}`)).toBe(true);
    }
    for (const m of matchers.filter((x) => x.value.startsWith('$'))) {
      expect(m.op).toBe('=~');
    }
  });

  it('has a legend for every source it can read', () => {
    for (const falcoSource of ['native', 'falcosidekick', 'legacy'] as const) {
      const legend = legendOf(id, { falcoSource });
      if (entry.visualization !== 'stat') {
        expect(legend).toBeTruthy();
      }
    }
  });
});

describe('Falco priority scales', () => {
  const priorityMatcher = (params: QueryParams) =>
    parseSelectors(buildQuery('falco.events.total', params)).find((m) => m.label === 'priority');

  it('maps minPriority onto native Falco numbers (0 = emergency ... 7 = debug)', () => {
    const m = priorityMatcher({ minPriority: 'critical' })!;
    expect(['0', '1', '2'].every((v) => selects(m, v))).toBe(true);
    expect(['3', '4', '7'].some((v) => selects(m, v))).toBe(false);
  });

  it('maps minPriority onto falcosidekick numbers (1 = debug ... 8 = emergency)', () => {
    const m = priorityMatcher({ minPriority: 'critical', falcoSource: 'falcosidekick' })!;
    expect(['6', '7', '8'].every((v) => selects(m, v))).toBe(true);
    expect(['0', '1', '5'].some((v) => selects(m, v))).toBe(false);
    const warning = priorityMatcher({ minPriority: 'warning', falcoSource: 'falcosidekick' })!;
    expect(selects(warning, '4') && !selects(warning, '3')).toBe(true);
  });

  it('maps minPriority onto legacy falco-exporter numbers like native Falco', () => {
    const m = priorityMatcher({ minPriority: 'error', falcoSource: 'legacy' })!;
    expect(selects(m, '3') && !selects(m, '4')).toBe(true);
    expect(buildQuery('falco.events.total', { falcoSource: 'legacy' })).toContain('falco_events');
  });

  it('adds no priority matcher for debug, the least severe', () => {
    expect(priorityMatcher({ minPriority: 'debug' })).toBeUndefined();
  });

  it('moves a namespace filter on native Falco to falcosidekick, which has workload labels', () => {
    expect(requiredExporters('falco.events.by_rule', { namespace: 'shop' })).toEqual([
      'falcosidekick',
      'recording-rules',
    ]);
    expect(legendOf('falco.events.by_rule', { namespace: 'shop' })).toBe('{{rule}}');
    expect(requiredExporters('falco.events.by_rule')).toEqual(['falco', 'recording-rules']);
    expect(legendOf('falco.events.by_rule')).toBe('{{rule_name}}');
    expect(requiredExporters('falco.events.by_pod')).toEqual(['falcosidekick', 'recording-rules']);
  });
});

describe('alerts and recording rules', () => {
  it('refer to library entries and build well-formed expressions', () => {
    for (const spec of [...ALERTS, ...RECORDING_RULES]) {
      expectWellFormed(buildQuery(spec.queryId, spec.params));
    }
  });

  it('records every recording rule an entry says it reads', () => {
    const recorded = new Set(RECORDING_RULES.map((r) => r.record));
    for (const q of QUERIES.filter((e) => e.recordingRule)) {
      expect(recorded).toContain(q.recordingRule);
    }
  });
});

// An older PrometheusRule without the :top10 records: the app sees the panel reads one it lacks (LibraryPanel's
// missingRecords) and runs the raw form, instead of a rank over a record with no series (an empty chart).
test.each([
  ['workload.cpu.by_pod', 'containersec:pod_cpu_usage:rate5m'],
  ['workload.memory.working_set', 'containersec:pod_memory_working_set:bytes'],
  ['workload.cpu.limit_ratio.by_pod', 'containersec:pod_cpu_limit_ratio'],
  ['workload.memory.limit_ratio.by_pod', 'containersec:pod_memory_limit_ratio'],
])('%s with topN reads %s and its top record, each found as a record it needs', (id, record) => {
  expect(recordsRead(buildQuery(id, { topN: 10 })).sort()).toEqual([record, `${record}:top10`]);
  expect(recordsRead(buildQuery(id, { topN: 10, pod: 'api-0' }))).toEqual([record]);
  expect(getQuery(id).fallback).toBeDefined();
});
