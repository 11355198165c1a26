import {
  createTheme,
  FieldType,
  fieldMatchers,
  formattedValueToString,
  getDisplayProcessor,
  toDataFrame,
} from '@grafana/data';
import { getQuery, QUERIES } from '../queries';
import {
  countDisplay,
  fieldOverrides,
  IDENTITY_COLUMNS,
  seriesKind,
  seriesTransformations,
  timeseriesLegend,
} from './fieldDisplay';
import { EMPTY_IS_GOOD_IDS } from './noValue';
import { FALCO_PRIORITIES, FALCO_PRIORITY_COLORS } from './priorityColors';
import { SEVERITY_COLORS, SEVERITY_ORDER } from './severityColors';
import { sourceLabelledTitle } from './sourceTitle';

// A series as Grafana's Prometheus datasource hands it over: the legend in displayNameFromDS.
function series(name: string) {
  return toDataFrame({
    fields: [
      { name: 'Time', type: FieldType.time, values: [1] },
      { name: 'Value', type: FieldType.number, values: [1], config: { displayNameFromDS: name } },
    ],
  });
}

// The override Grafana's own matcher applies to the series of that name, or undefined.
function overrideFor(overrides: ReturnType<typeof fieldOverrides>, name: string) {
  const frame = series(name);
  return overrides.find((o) => fieldMatchers.get(o.matcher.id).get(o.matcher.options)(frame.fields[1], frame, [frame]));
}

test("every Falco priority series gets Falco's spelling and its one colour, whichever source spells it", () => {
  const native = fieldOverrides('timeseries', '{{priority_name}}');
  const sidekick = fieldOverrides('timeseries', '{{priority_raw}}');
  for (const name of FALCO_PRIORITIES) {
    for (const [overrides, spelled] of [
      [native, name],
      [sidekick, name.toLowerCase()],
      [sidekick, name.toUpperCase()],
    ] as const) {
      const props = overrideFor(overrides, spelled)?.properties;
      expect([spelled, props]).toEqual([
        spelled,
        [
          { id: 'displayName', value: name },
          { id: 'color', value: { mode: 'fixed', fixedColor: FALCO_PRIORITY_COLORS[name] } },
        ],
      ]);
    }
  }
  expect(overrideFor(sidekick, 'info')?.properties[0].value).toBe('Informational');
  // Anchored: a rule or pod that only contains a priority's name keeps its own colour.
  expect(overrideFor(native, 'Critical pod')).toBeUndefined();
  expect(overrideFor(native, 'errors')).toBeUndefined();
});

test('priority and severity colours apply only to series named after them, read from the legend', () => {
  expect(seriesKind('{{priority_raw}}')).toBe('priority');
  expect(seriesKind('{{ priority_name }}')).toBe('priority');
  expect(seriesKind('{{severity}}')).toBe('severity');
  // Kyverno's rule results include "error", a Falco priority's name: its series keep the palette.
  expect(fieldOverrides('timeseries', getQuery('posture.kyverno.violations').legend)).toEqual([]);
  expect(fieldOverrides('timeseries', '{{rule_name}}')).toEqual([]);
});

test('Trivy severities come in severity order, each in its fixed colour', () => {
  const legend = getQuery('posture.trivy.vulnerabilities').legend;
  const overrides = fieldOverrides('bargauge', legend);
  for (const name of SEVERITY_ORDER) {
    expect(overrideFor(overrides, name.toUpperCase())?.properties[1].value).toEqual({
      mode: 'fixed',
      fixedColor: SEVERITY_COLORS[name],
    });
  }
  const [join, organize] = seriesTransformations('bargauge', legend);
  expect(join.id).toBe('joinByField');
  const index = (organize.options as { indexByName: Record<string, number> }).indexByName;
  const ranked = Object.keys(index).filter((k) => (SEVERITY_ORDER as readonly string[]).includes(k));
  expect(ranked.sort((a, b) => index[a] - index[b])).toEqual([...SEVERITY_ORDER]);
  expect(index.CRITICAL).toBe(index.Critical); // Trivy's spelling ranks the same
  expect(seriesTransformations('timeseries', '{{rule_name}}')).toEqual([]);
});

test('tables never cut the identifying column: it wraps with a minimum width, the value column is narrow', () => {
  const overrides = fieldOverrides('table', '{{rule_name}}');
  const identity = overrides.find((o) => (o.matcher.options as { names?: string[] }).names?.includes('rule_name'))!;
  expect(identity.properties).toEqual(
    expect.arrayContaining([
      { id: 'custom.wrapText', value: true },
      { id: 'custom.minWidth', value: 160 },
    ])
  );
  for (const label of ['rule', 'k8s_pod_name', 'pod', 'namespace', 'k8s_ns_name', 'image']) {
    expect(IDENTITY_COLUMNS).toContain(label);
  }
  const value = overrides.find((o) => o.matcher.options === 'Value')!;
  expect(value.properties).toEqual([{ id: 'custom.width', value: 110 }]);
  // A table of facts hides its meaningless value.
  const facts = fieldOverrides('table', undefined, 'none').find((o) => o.matcher.options === 'Value')!;
  expect(facts.properties).toEqual([{ id: 'custom.hidden', value: true }]);
});

test('series legends are tables sorted by their maximum, at the right of wide panels', () => {
  expect(timeseriesLegend(24)).toMatchObject({
    displayMode: 'table',
    placement: 'right',
    sortBy: 'Max',
    sortDesc: true,
  });
  expect(timeseriesLegend(8)).toMatchObject({ displayMode: 'table', placement: 'bottom' });
  expect(timeseriesLegend(8).calcs).toContain('max');
});

test('"none" is said only by library entries that exist', () => {
  const ids = new Set(QUERIES.map((q) => q.id));
  expect(EMPTY_IS_GOOD_IDS.filter((id) => !ids.has(id))).toEqual([]);
});

test('a Falco event panel names the metric its query reads, not the one the picker claims', () => {
  const byPod = getQuery('falco.events.by_pod');
  // falcosidekick picked or not, a per-pod panel reads falcosidekick; with legacy picked it reads falco-exporter.
  expect(sourceLabelledTitle('Events by pod (falcosidekick)', byPod, byPod.exporters({ falcoSource: 'native' }))).toBe(
    'Events by pod (falcosidekick)'
  );
  expect(sourceLabelledTitle('Events by pod (falcosidekick)', byPod, byPod.exporters({ falcoSource: 'legacy' }))).toBe(
    'Events by pod (falco-exporter)'
  );
  const byPriority = getQuery('falco.events.by_priority');
  expect(sourceLabelledTitle('Events by priority', byPriority, byPriority.exporters({}))).toBe(
    'Events by priority (Falco native)'
  );
  expect(
    sourceLabelledTitle('Events by priority', byPriority, byPriority.exporters({ falcoSource: 'falcosidekick' }))
  ).toBe('Events by priority (falcosidekick)');
  // Panels whose metric the picker does not change keep their title.
  const cpu = getQuery('falco.health.cpu');
  expect(sourceLabelledTitle('Falco CPU', cpu, cpu.exporters({}))).toBe('Falco CPU');
});

test('event counts read "1 event" and "2 events", whole numbers, through Grafana\'s own display processor', () => {
  const config = {
    unit: getQuery('falco.events.by_rule').unit,
    ...countDisplay(getQuery('falco.events.by_rule').unit),
  };
  const display = getDisplayProcessor({
    field: { type: FieldType.number, config: config as any },
    theme: createTheme(),
  });
  expect(formattedValueToString(display(1))).toBe('1 event');
  expect(formattedValueToString(display(2))).toBe('2 events');
  expect(formattedValueToString(display(0.5))).not.toContain('.'); // no fractional count on an axis tick
  expect(countDisplay('percent')).toEqual({});
});
