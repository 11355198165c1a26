import { buildQuery, getQuery, QUERIES, RECORDING_RULES, requiredExporters } from './index';
import type { Exporter } from './types';

// The records an expression reads: names of this project's recording rules, as whole metric names.
function recordsRead(expr: string): string[] {
  return RECORDING_RULES.map((r) => r.record).filter((record) =>
    new RegExp(`(^|[^A-Za-z0-9_:])${record}(?![A-Za-z0-9_:])`).test(expr)
  );
}

// Everything that must be scraped for a record to exist: its definition's exporters and, for records read by
// the definition, theirs.
function exportersBehind(record: string): Set<Exporter> {
  const spec = RECORDING_RULES.find((r) => r.record === record)!;
  const behind = new Set<Exporter>(requiredExporters(spec.queryId, spec.params));
  for (const inner of recordsRead(buildQuery(spec.queryId, spec.params))) {
    exportersBehind(inner).forEach((e) => behind.add(e));
  }
  return behind;
}

describe('entries that read recording rules', () => {
  const readers = QUERIES.filter((q) => recordsRead(buildQuery(q.id)).length > 0);

  it('finds the readers the panels depend on', () => {
    expect(readers.map((q) => q.id)).toEqual(
      expect.arrayContaining([
        'workload.cpu.limit_ratio',
        'workload.memory.limit_ratio',
        'workload.near_limits',
        'network.pod.top_packets',
        'risk.pod_score',
        'risk.pod_score.definition',
      ])
    );
  });

  it.each(readers.map((q) => [q.id]))('%s requires recording-rules and the exporters behind each record', (id) => {
    const required = requiredExporters(id);
    expect(required).toContain('recording-rules');
    for (const record of recordsRead(buildQuery(id))) {
      for (const exporter of exportersBehind(record)) {
        expect({ record, required }).toEqual({ record, required: expect.arrayContaining([exporter]) });
      }
    }
  });

  it('needs the Falco, restart and CPU exporters for the risk score, which reads three records', () => {
    expect([...exportersBehind('containersec:pod_risk_score')].sort()).toEqual([
      'cadvisor',
      'falcosidekick',
      'kube-state-metrics',
      'recording-rules',
    ]);
  });
});

describe('recording rule definitions', () => {
  const definitions = QUERIES.filter((q) => q.id.endsWith('.definition'));

  it.each(definitions.map((q) => [q.id]))('%s is the expression of the record it names', (id) => {
    const spec = RECORDING_RULES.find((r) => r.queryId === id);
    expect(spec?.record).toBe(getQuery(id).recordingRule);
  });

  it('reads no record in a definition that records from raw series', () => {
    for (const id of [
      'workload.cpu.limit_ratio.definition',
      'workload.memory.limit_ratio.definition',
      'network.pod.packets.definition',
    ]) {
      expect(recordsRead(buildQuery(id))).toEqual([]);
      expect(requiredExporters(id)).not.toContain('recording-rules');
    }
  });

  // One group, evaluated in order (Prometheus' Group.Eval): a record read before it is written this minute would be
  // the previous minute's, so a top record would rank a minute late and the risk score mix two minutes.
  it('writes every record before the rules that read it', () => {
    RECORDING_RULES.forEach((rule, i) => {
      for (const read of recordsRead(buildQuery(rule.queryId, rule.params)).filter((r) => r !== rule.record)) {
        const at = RECORDING_RULES.findIndex((r) => r.record === read);
        expect({ rule: rule.record, reads: read, before: at < i }).toEqual({
          rule: rule.record,
          reads: read,
          before: true,
        });
      }
    });
  });
});
