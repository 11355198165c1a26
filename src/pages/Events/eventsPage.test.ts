import { sceneGraph, sceneUtils, VizPanel } from '@grafana/scenes';
import { FalcoQuery } from '../../datasource/types';
import { EventList } from '../../scenes/events/EventList';
import { activateTree, settle } from '../../scenes/testing/grafanaStandIn';
import { eventsFrame, standInFalco, valuesFrame } from '../../scenes/testing/falcoStandIn';
import { eventsPage, eventsScene } from './eventsPage';

function openWithUrl(search: string) {
  const scene = eventsScene();
  sceneUtils.syncStateFromSearchParams(scene, new URLSearchParams(search));
  activateTree(scene);
  return scene;
}

const ofType = (queries: FalcoQuery[], type: string) => queries.filter((q) => q.queryType === type);

test('the page lists and counts events with the filters from the URL', async () => {
  const falco = standInFalco((q) =>
    q.queryType === 'eventValues' ? [valuesFrame(['web', 'Terminal shell in container'])] : []
  );
  openWithUrl(
    'from=now-1h&to=now&var-minPriority=critical&var-rule=Terminal%20shell%20in%20container' +
      '&var-rule=Read%20sensitive%20file%2C%20untrusted&var-namespace=web&var-text=%2Fetc%2Fshadow'
  );
  await settle();
  const expected = {
    minPriority: 'critical',
    rules: ['Terminal shell in container', 'Read sensitive file, untrusted'],
    namespaces: ['web'],
    text: '/etc/shadow',
  };
  const events = ofType(falco.queries, 'events');
  expect(events.length).toBeGreaterThan(0);
  expect(events[events.length - 1]).toMatchObject({ limit: 100, filters: expected });
  const counts = ofType(falco.queries, 'eventCounts');
  // The chart counts what the list shows; the count per priority has every filter but the minimum priority, so
  // each priority can be clicked to.
  expect(counts.filter((q) => q.filters?.minPriority)).toEqual([
    expect.objectContaining({ groupBy: 'priority', filters: expected }),
  ]);
  const { minPriority: _min, ...others } = expected;
  expect(counts.filter((q) => !q.filters?.minPriority)).toEqual([
    expect.objectContaining({ groupBy: 'priority', filters: others }),
  ]);
  // An hour in about 120 buckets: 30 s each (Grafana rounds the interval to a nice step).
  const chart = falco.requests.find((r) => (r.targets[0] as FalcoQuery).filters?.minPriority === '$minPriority');
  expect(chart?.interval).toBe('30s');
});

test('with no filters in the URL every filter is "All" and none is sent', async () => {
  const falco = standInFalco((q) => (q.queryType === 'eventValues' ? [valuesFrame(['a', 'b'])] : []));
  openWithUrl('');
  await settle();
  const events = ofType(falco.queries, 'events');
  expect(events[events.length - 1].filters).toEqual({});
});

test('the filter pickers list the values events have, one eventValues query per field', async () => {
  const falco = standInFalco((q) => (q.queryType === 'eventValues' ? [valuesFrame([`${q.field}-1`])] : []));
  const scene = openWithUrl('');
  await settle();
  const fields = ofType(falco.queries, 'eventValues').map((q) => q.field);
  expect(new Set(fields)).toEqual(new Set(['rule', 'namespace', 'pod', 'hostname', 'source', 'tag']));
  const pod = sceneGraph.lookupVariable('pod', scene) as any;
  expect(pod.state.options.map((o: { value: string }) => o.value)).toEqual(['pod-1']);
});

test('"Load more" asks for the next page with the cursor and the same filters, and appends it', async () => {
  const falco = standInFalco((q) => {
    if (q.queryType !== 'events') {
      return [];
    }
    return q.cursor === 'page-2'
      ? [eventsFrame([{ id: 'e3', time: 1000, rule: 'Third' }])]
      : [
          eventsFrame(
            [
              { id: 'e1', time: 3000, rule: 'First' },
              { id: 'e2', time: 2000, rule: 'Second' },
            ],
            'page-2'
          ),
        ];
  });
  const scene = openWithUrl('var-namespace=web');
  await settle();
  const list = sceneGraph.findObject(scene, (o) => o instanceof EventList) as EventList;
  expect(list.events().map((e) => e.id)).toEqual(['e1', 'e2']);
  expect(list.nextCursor()).toBe('page-2');

  list.loadMore();
  await settle();
  const last = ofType(falco.queries, 'events').pop()!;
  expect(last).toMatchObject({ cursor: 'page-2', filters: { namespaces: ['web'] } });
  expect(list.events().map((e) => e.id)).toEqual(['e1', 'e2', 'e3']);
  expect(list.nextCursor()).toBe(''); // the last page: no more button
  expect(list.state.loadingMore).toBe(false);
});

test('a refresh starts the list again from the first page', async () => {
  let calls = 0;
  standInFalco((q) => {
    if (q.queryType !== 'events') {
      return [];
    }
    calls++;
    return q.cursor ? [eventsFrame([{ id: 'old-2' }])] : [eventsFrame([{ id: `first-${calls}` }], 'next')];
  });
  const scene = openWithUrl('');
  await settle();
  const list = sceneGraph.findObject(scene, (o) => o instanceof EventList) as EventList;
  list.loadMore();
  await settle();
  expect(list.events()).toHaveLength(2);
  sceneGraph.getTimeRange(scene).onRefresh();
  await settle();
  expect(list.events().map((e) => e.id)).toEqual([expect.stringMatching(/^first-/)]);
});

test('the page keeps its filters on the way back from a drilldown', () => {
  const page = eventsPage({ prometheusDatasourceUid: 'prom-prod' });
  expect(page.state.preserveUrlKeys).toEqual(
    expect.arrayContaining([
      'from',
      'to',
      'var-minPriority',
      'var-rule',
      'var-namespace',
      'var-pod',
      'var-hostname',
      'var-source',
      'var-tag',
      'var-text',
    ])
  );
  expect(page.state.drilldowns?.length).toBe(3);
});

test('the counts chart reads whole events: no fractions, "1 event"', () => {
  standInFalco();
  const scene = openWithUrl('');
  const chart = sceneGraph.findObject(
    scene,
    (o) => o instanceof VizPanel && o.state.title === 'Events by priority'
  ) as VizPanel;
  const defaults = chart.state.fieldConfig.defaults;
  expect(defaults.unit).toBe('events');
  expect(defaults.decimals).toBe(0);
  expect(defaults.mappings).toEqual([{ type: 'value', options: { '1': { text: '1 event', index: 0 } } }]);
});
