import { createTheme, FieldType, getDisplayProcessor, ValueMapping } from '@grafana/data';
import { SceneDataTransformer } from '@grafana/scenes';
import { getQuery } from '../queries';
import { buildVizPanel, panelQuery } from './vizPanel';
import { COLUMN_TITLES, PRIORITY_COLUMN } from './tableColumns';
import { BAD_FROM_ONE, NEUTRAL_COLOR } from './valueColors';
import { FALCO_PRIORITY_COLORS } from './priorityColors';
import type { PanelSpec } from './spec';

function build(spec: PanelSpec) {
  const entry = getQuery(spec.queryId);
  return buildVizPanel(spec, entry, panelQuery('up', undefined, spec.visualization ?? entry.visualization), []).panel;
}

test("a table drops the instant query's Time column and names its columns in the user's words", () => {
  const panel = build({ title: 'Rules that fired', queryId: 'falco.rules.top', visualization: 'table' });
  const transformer = panel.state.$data as SceneDataTransformer;
  expect(transformer.state.transformations).toEqual([
    expect.objectContaining({
      id: 'organize',
      options: expect.objectContaining({ excludeByName: { Time: true } }),
    }),
  ]);
  const renames = (transformer.state.transformations[0] as { options: { renameByName: Record<string, string> } })
    .options.renameByName;
  expect(renames).toMatchObject({ rule_name: 'Rule', priority: 'Priority', k8s_ns_name: 'Namespace', pod: 'Pod' });
});

test("a table shows Falco's numeric priority and falcosidekick's priority name in Falco's spelling and colour", () => {
  const panel = build({ title: 'Rules that fired', queryId: 'falco.rules.top', visualization: 'table' });
  const override = panel.state.fieldConfig.overrides.find((o) =>
    (o.matcher.options as { names?: string[] }).names?.includes(PRIORITY_COLUMN)
  );
  expect((override?.matcher.options as { names: string[] }).names).toContain('priority_raw');
  const mappings = override?.properties.find((p) => p.id === 'mappings')?.value as ValueMapping[];
  const theme = createTheme();
  const show = getDisplayProcessor({ field: { type: FieldType.string, config: { mappings } }, theme });
  expect(show('0').text).toBe('Emergency');
  expect(show('2').text).toBe('Critical');
  expect(show('7').text).toBe('Debug');
  expect(show('critical').text).toBe('Critical');
  expect(show('info').text).toBe('Informational');
  expect(show('2').color).toBe(theme.visualization.getColorByName(FALCO_PRIORITY_COLORS.Critical));
  expect(show('critical').color).toBe(show('2').color);
  expect(show('kube-system').text).toBe('kube-system');
});

test('time series keep their frames: the column mapping and transformations are for tables', () => {
  const panel = build({ title: 'CPU by pod', queryId: 'workload.cpu.by_pod' });
  expect(panel.state.fieldConfig.overrides).toEqual([]);
  expect(panel.state.$data).not.toBeInstanceOf(SceneDataTransformer);
});

test("a count panel's spec can say what no series means; where none is the good answer the panel says none", () => {
  const spec: PanelSpec = { title: 'Critical', queryId: 'falco.events.critical_and_above', noValue: '0' };
  expect(build(spec).state.fieldConfig.defaults.noValue).toBe('0');
  expect(build({ ...spec, noValue: undefined }).state.fieldConfig.defaults.noValue).toBe('none');
  expect(build({ title: 'Drops', queryId: 'falco.health.kernel_drops' }).state.fieldConfig.defaults.noValue).toBe(
    'none'
  );
  // No CPU series is not good news: Grafana's "No data" stays.
  expect(build({ title: 'CPU', queryId: 'workload.cpu.by_pod' }).state.fieldConfig.defaults.noValue).toBeUndefined();
});

test('every column title is a word, not a label name', () => {
  for (const title of Object.values(COLUMN_TITLES)) {
    expect(title).toMatch(/^[A-Z][a-z]+( [a-z]+)*$/);
  }
});

// Grafana's default single-value colours (green below 80, red from 80) showed 4 days of certificate left in red.
test("a single value is coloured by its spec's thresholds, or in one neutral colour, never by Grafana's 80 default", () => {
  const expiry = build({
    title: 'Client certificate expiry',
    queryId: 'apiserver.client_cert_expiry',
    thresholds: [
      { value: null, color: 'red' },
      { value: 7 * 86400, color: 'green' },
    ],
  }).state.fieldConfig.defaults;
  expect(expiry.color).toEqual({ mode: 'thresholds' });
  expect(expiry.thresholds?.steps).toEqual([
    { value: -Infinity, color: 'red' },
    { value: 7 * 86400, color: 'green' },
  ]);
  const trivy = build({ title: 'Trivy', queryId: 'posture.trivy.vulnerabilities' }).state.fieldConfig.defaults;
  expect(trivy.color).toEqual(NEUTRAL_COLOR);
  expect(trivy.thresholds).toBeUndefined();
});

test('time series and tables keep their own colours', () => {
  for (const spec of [
    { title: 'By priority', queryId: 'falco.events.by_priority' },
    { title: 'Rules', queryId: 'falco.rules.top', visualization: 'table' as const, thresholds: BAD_FROM_ONE },
  ]) {
    const defaults = build(spec).state.fieldConfig.defaults;
    expect(defaults.color).toBeUndefined();
    expect(defaults.thresholds).toBeUndefined();
  }
});

test("a stat over per-interval counts shows the range's total, and a score stat its peak, not the last point", () => {
  const reduceOf = (spec: PanelSpec) =>
    (build(spec).state.options as { reduceOptions: { calcs: string[] } }).reduceOptions;
  const total: PanelSpec = { title: 'All events', queryId: 'falco.events.total', visualization: 'stat' };
  expect(reduceOf(total).calcs).toEqual(['lastNotNull']);
  expect(reduceOf({ ...total, reduce: 'sum' }).calcs).toEqual(['sum']);
  expect(reduceOf({ title: 'Risk', queryId: 'risk.pod_score', visualization: 'stat', reduce: 'max' }).calcs).toEqual([
    'max',
  ]);
});

test("a container's limits are a fact at the range's end: one instant query, though the panel is a stat", () => {
  const entry = getQuery('workload.pod.cpu_limits');
  expect(entry.visualization).toBe('stat');
  expect(panelQuery('up', undefined, 'stat', entry.instant)).toMatchObject({ instant: true, range: false });
  // A stat of history (events in the range) stays a range query.
  expect(panelQuery('up', undefined, 'stat', getQuery('falco.events.critical_and_above').instant)).toMatchObject({
    instant: false,
    range: true,
  });
});
