import React from 'react';
import { act, fireEvent, render as rtlRender, screen, within } from '@testing-library/react';
import { MemoryRouter } from 'react-router-dom';
import { createDataFrame, FieldType } from '@grafana/data';
import { sceneGraph, sceneUtils } from '@grafana/scenes';
import { eventsScene } from '../../pages/Events/eventsPage';
import { activateTree, settle } from '../testing/grafanaStandIn';
import { EventRow, eventsFrame, standInFalco } from '../testing/falcoStandIn';
import { eventsCsv, eventsJson } from './eventExport';
import { EventList } from './EventList';
import { eventsOf } from './eventRows';
import { countsByPriority, eventCount } from './PriorityTotals';
import { testIds } from './testIds';

const render = (ui: React.ReactElement) =>
  rtlRender(<MemoryRouter future={{ v7_startTransition: true, v7_relativeSplatPath: true }}>{ui}</MemoryRouter>);
// The drawer renders Grafana's whole Drawer: seconds on a busy CI machine.
jest.setTimeout(30_000);

const DROP: EventRow = {
  id: 'evt-crit',
  time: Date.UTC(2026, 10, 29, 3, 0, 0),
  priority: 'Critical',
  rule: 'Drop and execute new binary in container',
  source: 'syscall',
  hostname: 'node-2',
  namespace: 'shop',
  pod: 'cart-5f6',
  process: 'kworker',
  cmdline: 'kworker -c =cmd|calc',
  image: 'ghcr.io/shop/cart:2.1',
  tags: 'container,mitre_persistence,TA0003,T1059',
  output: 'Executing binary not part of base image (proc_exe=/tmp/kworker)',
  output_fields: JSON.stringify({ 'k8s.ns.name': 'shop', 'proc.exepath': '/tmp/kworker', 'evt.time': 1 }),
};

// An eventCounts answer grouped by priority: one frame per priority, its buckets in a number field.
function countsFrame(priority: string, buckets: number[]) {
  return createDataFrame({
    name: priority,
    fields: [
      { name: 'time', type: FieldType.time, values: buckets.map((_, i) => i * 60_000) },
      { name: 'count', type: FieldType.number, values: buckets, labels: { priority } },
    ],
  });
}

async function open(search = '') {
  const falco = standInFalco((q) => {
    if (q.queryType === 'events') {
      return [eventsFrame([DROP])];
    }
    if (q.queryType === 'eventCounts') {
      return [countsFrame('Notice', [300, 91]), countsFrame('Critical', [0, 1]), countsFrame('Warning', [20, 10])];
    }
    return [];
  });
  const scene = eventsScene();
  sceneUtils.syncStateFromSearchParams(scene, new URLSearchParams(`from=now-6h&to=now${search}`));
  activateTree(scene);
  await settle();
  const list = sceneGraph.findObject(scene, (o) => o instanceof EventList) as EventList;
  render(<list.Component model={list} />);
  return { falco, list, scene };
}

test('whole counts: "1 event", "422 events"', () => {
  expect(eventCount(1)).toBe('1 event');
  expect(eventCount(422)).toBe('422 events');
  expect(eventCount(0)).toBe('0 events');
  expect(countsByPriority([countsFrame('critical', [1, 0]), countsFrame('Notice', [2, 3])])).toEqual(
    new Map([
      ['Critical', 1],
      ['Notice', 5],
    ])
  );
});

test('the list shows its total and a count per priority, most severe first; a count filters the list', async () => {
  const { falco, scene } = await open();
  const totals = screen.getByTestId(testIds.totals);
  expect(within(totals).getByText('422 events')).toBeInTheDocument();
  const buttons = within(totals).getAllByRole('button');
  expect(buttons.map((b) => b.textContent)).toEqual([
    'Critical 1: 1 event at Critical, show Critical and above',
    'Warning 30: 30 events at Warning, show Warning and above',
    'Notice 391: 391 events at Notice, show Notice and above',
  ]);
  await act(async () => {
    fireEvent.click(buttons[0]);
    await settle();
  });
  expect(sceneGraph.lookupVariable('minPriority', scene)?.getValue()).toBe('critical');
  expect(falco.queries.filter((q) => q.queryType === 'events').pop()?.filters?.minPriority).toBe('critical');
  expect(within(screen.getByTestId(testIds.totals)).getByText('1 event at Critical or above')).toBeInTheDocument();
});

test('page size goes up to 1000 and is kept in the URL', async () => {
  const { falco, list } = await open('&pageSize=1000');
  expect(list.state.pageSize).toBe(1000);
  expect(falco.queries.filter((q) => q.queryType === 'events').pop()?.limit).toBe(1000);
  act(() => list.setPageSize(250));
  await act(async () => settle());
  expect(falco.queries.filter((q) => q.queryType === 'events').pop()?.limit).toBe(250);
  expect(list.getUrlState()).toEqual({ event: undefined, pageSize: '250' });
  // A size the backend refuses (over its maximum) is not sent.
  act(() => list.updateFromUrl({ pageSize: '5000' }));
  expect(list.state.pageSize).toBe(100);
});

test('the drawer has the raw Falco JSON with a copy button, and output fields filter the page', async () => {
  const { scene } = await open();
  fireEvent.click(screen.getByTestId(testIds.row));
  const drawer = await screen.findByTestId(testIds.drawer);
  const json = JSON.parse(within(drawer).getByTestId(testIds.rawJson).textContent ?? '');
  expect(json).toMatchObject({
    uuid: 'evt-crit',
    rule: DROP.rule,
    priority: 'Critical',
    time: '2026-11-29T03:00:00.000Z',
    output_fields: { 'k8s.ns.name': 'shop', 'proc.exepath': '/tmp/kworker' },
  });
  expect(within(drawer).getByText('Copy JSON')).toBeInTheDocument();
  // A field that is a page filter sets it; another searches the output for its value.
  await act(async () => {
    fireEvent.click(within(drawer).getByLabelText('Only events whose output has /tmp/kworker'));
    await settle();
  });
  expect(sceneGraph.lookupVariable('text', scene)?.getValue()).toBe('/tmp/kworker');
  fireEvent.click(screen.getByTestId(testIds.row));
  await act(async () => {
    fireEvent.click(within(await screen.findByTestId(testIds.drawer)).getByLabelText('Only namespace shop'));
    await settle();
  });
  expect(sceneGraph.lookupVariable('namespace', scene)?.getValue()).toEqual(['shop']);
});

test('export: CSV of the evidence with formula-looking values defused, JSON as Falco writes it', () => {
  const events = eventsOf(eventsFrame([DROP]));
  const csv = eventsCsv(events).split('\r\n');
  expect(csv[0]).toBe('time,priority,rule,namespace,pod,process,cmdline,image,hostname,source,tags,output,id');
  expect(csv[1]).toContain(
    '"2026-11-29T03:00:00.000Z","Critical","Drop and execute new binary in container","shop","cart-5f6"'
  );
  expect(eventsCsv(eventsOf(eventsFrame([{ ...DROP, cmdline: '=HYPERLINK("x")' }])))).toContain(
    '"\'=HYPERLINK(""x"")"'
  );
  expect(JSON.parse(eventsJson(events))).toEqual([
    expect.objectContaining({
      uuid: 'evt-crit',
      hostname: 'node-2',
      tags: ['container', 'mitre_persistence', 'TA0003', 'T1059'],
    }),
  ]);
});
