import { lastValueFrom } from 'rxjs';
import {
  DataFrame,
  FieldType,
  getFieldDisplayName,
  standardTransformers,
  standardTransformersRegistry,
  toDataFrame,
  transformDataFrame,
} from '@grafana/data';
import { getQuery } from '../queries';
import { seriesTransformations, timeseriesLegend } from './fieldDisplay';
import { groupsByPriority, sortRowsBySeverity } from './severityRows';

// Grafana's own transformers, as the table and time series panels run them.
beforeAll(() => {
  // standardTransformers lists some transformers under two keys: register each once. Deprecated for plugins, but the
  // only way a test outside Grafana runs its real transformers.
  // eslint-disable-next-line @typescript-eslint/no-deprecated
  const unique = new Map(Object.values(standardTransformers).map((t) => [t.id, t]));
  standardTransformersRegistry.setInit(() =>
    [...unique.values()].map(
      (t) => ({ id: t.id, name: t.name, transformation: async () => t, editor: () => null }) as any
    )
  );
});

// Series as Grafana's Prometheus datasource hands them over, the legend in displayNameFromDS, in count order.
function seriesByCount(names: string[]): DataFrame[] {
  return names.map((name, i) =>
    toDataFrame({
      fields: [
        { name: 'Time', type: FieldType.time, values: [1000, 2000] },
        { name: 'Value', type: FieldType.number, values: [100 - i, 90 - i], config: { displayNameFromDS: name } },
      ],
    })
  );
}

test.each([
  [
    '{{priority_raw}}',
    ['notice', 'warning', 'informational', 'critical'],
    ['critical', 'warning', 'notice', 'informational'],
  ],
  ['{{priority_name}}', ['Notice', 'Critical', 'Error'], ['Critical', 'Error', 'Notice']],
])(
  'series by priority (%s) reach the legend most severe first, whatever their counts',
  async (legend, given, shown) => {
    expect(timeseriesLegend(24, legend)).not.toHaveProperty('sortBy'); // the legend keeps the series' order
    expect(timeseriesLegend(24, '{{rule_name}}')).toMatchObject({ sortBy: 'Max', sortDesc: true });
    const out = await lastValueFrom(
      transformDataFrame(seriesTransformations('timeseries', legend) as any, seriesByCount(given))
    );
    const names = out[0].fields
      .filter((f) => f.type === FieldType.number)
      .map((f) => getFieldDisplayName(f, out[0], out));
    expect(names).toEqual(shown);
  }
);

// An instant query in table format: one row per series, its labels as string columns.
function table(priorityColumn: string, rows: Array<[string, string, number]>): DataFrame {
  return toDataFrame({
    fields: [
      { name: 'Time', type: FieldType.time, values: rows.map(() => 1) },
      { name: 'rule_name', type: FieldType.string, values: rows.map((r) => r[0]) },
      { name: priorityColumn, type: FieldType.string, values: rows.map((r) => r[1]) },
      { name: 'Value', type: FieldType.number, values: rows.map((r) => r[2]) },
    ],
  });
}

test('Top rules rows put the Critical rule first, then by matches (native numbers and falcosidekick names)', () => {
  const rulesOf = (f: DataFrame) => f.fields[1].values;
  const native = sortRowsBySeverity([
    table('priority', [
      ['Contact K8S API', '5', 120],
      ['Drop and execute new binary', '2', 1],
      ['Terminal shell', '5', 300],
      ['Read sensitive file', '4', 7],
    ]),
  ])[0];
  expect(rulesOf(native)).toEqual([
    'Drop and execute new binary',
    'Read sensitive file',
    'Terminal shell',
    'Contact K8S API',
  ]);
  const sidekick = sortRowsBySeverity([
    table('priority_raw', [
      ['Contact K8S API', 'notice', 120],
      ['Drop and execute new binary', 'critical', 1],
      ['Read sensitive file', 'warning', 7],
    ]),
  ])[0];
  expect(rulesOf(sidekick)).toEqual(['Drop and execute new binary', 'Read sensitive file', 'Contact K8S API']);
  // Every column moves with its row.
  expect(sidekick.fields[3].values).toEqual([1, 7, 120]);
});

test('the Top rules query keeps a priority column for every source, so its tables sort by it', () => {
  const top = getQuery('falco.rules.top');
  for (const falcoSource of ['native', 'falcosidekick', 'legacy'] as const) {
    expect(groupsByPriority(top.build({ falcoSource, topN: 10 }))).toBe(true);
  }
  expect(groupsByPriority(getQuery('falco.events.by_pod').build({ minPriority: 'critical', topN: 10 }))).toBe(false);
});
