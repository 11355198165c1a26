import React from 'react';
import { act, fireEvent, render as rtlRender, screen, within } from '@testing-library/react';
import { MemoryRouter } from 'react-router-dom';
import { sceneGraph, sceneUtils } from '@grafana/scenes';
import { eventsScene } from '../../pages/Events/eventsPage';
import { activateTree, settle } from '../testing/grafanaStandIn';
import { EventRow, eventsFrame, standInFalco } from '../testing/falcoStandIn';
import { oneLine, visibleText } from './displayText';
import { EventList } from './EventList';
import { testIds } from './testIds';

// Grafana renders pages inside its router (internal links).
const render = (ui: React.ReactElement) =>
  rtlRender(<MemoryRouter future={{ v7_startTransition: true, v7_relativeSplatPath: true }}>{ui}</MemoryRouter>);
// The drawer renders Grafana's whole Drawer: seconds on a busy CI machine.
jest.setTimeout(30_000);

const SHELL: EventRow = {
  id: 'evt-1',
  time: Date.UTC(2026, 10, 29, 9, 0, 5),
  priority: 'Notice',
  rule: 'Terminal shell in container',
  source: 'syscall',
  hostname: 'node-1',
  namespace: 'web',
  pod: 'nginx-7d4b9',
  process: 'bash',
  cmdline: 'bash -i',
  image: 'docker.io/library/nginx:1.27',
  tags: 'container,shell,mitre_execution,T1059,T1059.004',
  output: 'A shell was spawned in a container with an attached terminal (user=root shell=bash)',
  output_fields: JSON.stringify({ 'proc.cmdline': 'bash', 'user.name': 'root', 'container.id': 'abc123', 'fd.num': 3 }),
};

// What a container can put into an event: markup, terminal escapes, bidi overrides, huge values, astral characters.
const HOSTILE: EventRow = {
  id: 'evt-2',
  time: Date.UTC(2026, 10, 29, 9, 1, 0),
  priority: '<b>Critical</b>',
  rule: '<img src=x onerror="window.pwned=1">',
  hostname: 'node-\u202eevil',
  namespace: 'ns"\'<>',
  pod: 'pod\u001b[31mred',
  cmdline: 'x'.repeat(5000),
  tags: '<script>alert(1)</script>,T1059',
  output: `${'A'.repeat(100_000)}\n\u001b[2J𝕏 😀`,
  output_fields: JSON.stringify({ '<i>k</i>': '<a href="javascript:alert(1)">x</a>', 'proc.args': 'a\u0000b' }),
};

async function listWith(rows: EventRow[], search = '') {
  standInFalco((q) => (q.queryType === 'events' ? [eventsFrame(rows)] : []));
  const scene = eventsScene();
  sceneUtils.syncStateFromSearchParams(scene, new URLSearchParams(`from=now-1h&to=now${search}`));
  activateTree(scene);
  await settle();
  const list = sceneGraph.findObject(scene, (o) => o instanceof EventList) as EventList;
  render(<list.Component model={list} />);
  return list;
}

test('the table shows the evidence once: time, priority, rule, namespace/pod, process and command line, image, hostname; a row opens the drawer', async () => {
  const list = await listWith([SHELL]);
  const row = screen.getByTestId(testIds.row);
  const cells = within(row)
    .getAllByRole('cell')
    .map((c) => c.textContent);
  expect(cells.slice(1)).toEqual([
    'Notice',
    'Terminal shell in container',
    'web/nginx-7d4b9',
    'bash -i',
    'docker.io/library/nginx:1.27',
    'node-1',
  ]);
  // The output repeats time, priority and rule: it is in the drawer, not in the table.
  expect(within(row).queryByText(SHELL.output!)).not.toBeInTheDocument();
  expect(cells[0]).toMatch(/2026-11-29/);

  fireEvent.click(row);
  expect(list.state.selected).toBe('evt-1');
  const drawer = await screen.findByTestId(testIds.drawer);
  const fields = within(drawer).getByTestId(testIds.fields);
  for (const [name, value] of [
    ['proc.cmdline', 'bash'],
    ['user.name', 'root'],
    ['container.id', 'abc123'],
    ['fd.num', '3'],
    ['Hostname', 'node-1'],
    ['Source', 'syscall'],
  ]) {
    expect(within(fields).getByRole('rowheader', { name }).nextSibling).toHaveTextContent(value);
  }
  // MITRE from the one catalog: the tactic by name and id, techniques with their names, all linked; none under Tags.
  expect(within(drawer).getByRole('link', { name: /Execution \(TA0002\)/ })).toHaveAttribute(
    'href',
    'https://attack.mitre.org/tactics/TA0002/'
  );
  expect(within(drawer).getByRole('link', { name: /T1059\.004 Unix Shell/ })).toHaveAttribute(
    'href',
    'https://attack.mitre.org/techniques/T1059/004/'
  );
  expect(within(drawer).queryByText('mitre_execution')).not.toBeInTheDocument();
  expect(within(drawer).getByText('shell')).toBeInTheDocument();
  expect(within(drawer).getByText('container')).toBeInTheDocument();
});

test('the drawer links to the pod, namespace and rule drilldowns with the time range, and to the Rules page', async () => {
  await listWith([SHELL], '&var-minPriority=critical');
  fireEvent.click(screen.getByTestId(testIds.row));
  const drawer = await screen.findByTestId(testIds.drawer);
  const href = (name: string) => within(drawer).getByRole('link', { name }).getAttribute('href');
  expect(href('Pod drilldown')).toBe(
    '/a/containersec-security-app/events/namespace/web/pod/nginx-7d4b9?from=now-1h&to=now&var-minPriority=critical'
  );
  expect(href('Namespace drilldown')).toBe(
    '/a/containersec-security-app/events/namespace/web?from=now-1h&to=now&var-minPriority=critical'
  );
  expect(href('Rule drilldown')).toBe(
    '/a/containersec-security-app/events/rule/Terminal%20shell%20in%20container?from=now-1h&to=now&var-minPriority=critical'
  );
  expect(href('Rule in the Rules page')).toBe(
    '/a/containersec-security-app/rules?rule=Terminal%20shell%20in%20container'
  );
});

test('an event without a pod gets no pod link', async () => {
  await listWith([{ ...SHELL, pod: '', namespace: '' }]);
  fireEvent.click(screen.getByTestId(testIds.row));
  const drawer = await screen.findByTestId(testIds.drawer);
  expect(within(drawer).queryByRole('link', { name: 'Pod drilldown' })).not.toBeInTheDocument();
  expect(within(drawer).queryByRole('link', { name: 'Namespace drilldown' })).not.toBeInTheDocument();
  expect(within(drawer).getByRole('link', { name: 'Rule drilldown' })).toBeInTheDocument();
});

test('hostile strings are shown as text, escaped, and cut in the table', async () => {
  await listWith([HOSTILE]);
  // No markup from the event became an element.
  expect(document.querySelector('img, script, b, i, a[href^="javascript"]')).toBeNull();
  const row = screen.getByTestId(testIds.row);
  const cells = within(row).getAllByRole('cell');
  expect(cells[1]).toHaveTextContent('<b>Critical</b>'); // an unknown priority is text, not a colour
  expect(cells[2]).toHaveTextContent('<img src=x onerror="window.pwned=1">');
  expect(cells[3].textContent).toBe('ns"\'<>/pod\\u001b[31mred');
  expect(cells[6].textContent).toBe('node-\\u202eevil'); // the bidi override does not reverse the page
  expect(Array.from(cells[4].textContent ?? '')).toHaveLength(301); // 300 characters and the ellipsis

  fireEvent.click(row);
  const drawer = await screen.findByTestId(testIds.drawer);
  expect(document.querySelector('img, script, b, i, a[href^="javascript"]')).toBeNull();
  const output = within(drawer).getByTestId(testIds.output);
  expect(output.textContent).toBe(`${'A'.repeat(100_000)}\n\\u001b[2J𝕏 😀`); // all of it, newline kept
  const fields = within(drawer).getByTestId(testIds.fields);
  expect(within(fields).getByRole('rowheader', { name: '<i>k</i>' }).nextSibling).toHaveTextContent(
    '<a href="javascript:alert(1)">x</a>'
  );
  expect(within(fields).getByRole('rowheader', { name: 'proc.args' }).nextSibling?.textContent).toBe('a\\u0000b');
  expect(within(drawer).getByText('<script>alert(1)</script>')).toBeInTheDocument();
  expect((window as any).pwned).toBeUndefined();
});

test('Load more appears only while the backend has a next page', async () => {
  standInFalco((q) =>
    q.queryType !== 'events'
      ? []
      : q.cursor
        ? [eventsFrame([{ ...SHELL, id: 'evt-older' }])]
        : [eventsFrame([SHELL], 'next-page')]
  );
  const scene = eventsScene();
  activateTree(scene);
  await settle();
  const list = sceneGraph.findObject(scene, (o) => o instanceof EventList) as EventList;
  render(<list.Component model={list} />);
  expect(screen.getByText(/1 event shown, more available/)).toBeInTheDocument();
  await act(async () => {
    fireEvent.click(screen.getByTestId(testIds.loadMore));
    await settle();
  });
  expect(screen.getAllByTestId(testIds.row)).toHaveLength(2);
  expect(screen.queryByTestId(testIds.loadMore)).not.toBeInTheDocument();
});

test('a backend error says what happened and what to do, and Retry asks again', async () => {
  let down = true;
  const falco = standInFalco((q) => (q.queryType === 'events' && !down ? [eventsFrame([SHELL])] : []));
  const scene = eventsScene();
  activateTree(scene);
  await settle();
  const list = sceneGraph.findObject(scene, (o) => o instanceof EventList) as EventList;
  // What Grafana's fetch gives when the backend (or Grafana) cannot be reached.
  act(() =>
    list.state.$data.setState({
      data: { ...list.state.$data.state.data!, state: 'Error' as any, errors: [{ message: 'fetch failed' }] },
    })
  );
  render(<list.Component model={list} />);
  expect(screen.getByText("The Falco datasource's backend is not answering")).toBeInTheDocument();
  expect(screen.getByText(/nothing was changed.*then retry/)).toBeInTheDocument();
  expect(screen.getByText('Grafana said: fetch failed')).toBeInTheDocument();
  down = false;
  const before = falco.queries.filter((q) => q.queryType === 'events').length;
  await act(async () => {
    fireEvent.click(screen.getByRole('button', { name: /Retry/ }));
    await settle();
  });
  expect(falco.queries.filter((q) => q.queryType === 'events').length).toBe(before + 1);
  expect(screen.getByTestId(testIds.row)).toBeInTheDocument();
});

test('an error the backend answered with is its own words, not "not answering"', async () => {
  standInFalco(() => []);
  const scene = eventsScene();
  activateTree(scene);
  await settle();
  const list = sceneGraph.findObject(scene, (o) => o instanceof EventList) as EventList;
  act(() =>
    list.state.$data.setState({
      data: {
        ...list.state.$data.state.data!,
        state: 'Error' as any,
        errors: [{ message: 'unknown query type "events"' }],
      },
    })
  );
  render(<list.Component model={list} />);
  expect(screen.getByText('The Falco datasource could not read the events')).toBeInTheDocument();
  expect(screen.getByText('Grafana said: unknown query type "events"')).toBeInTheDocument();
});

test.each([
  ['\u001b[31m', '\\u001b[31m'],
  ['a\u202eb', 'a\\u202eb'],
  ['zero\u200bwidth', 'zero\\u200bwidth'],
  ['tab\tand\nnewline', 'tab\tand\nnewline'],
  ['ünïcødé 日本 😀', 'ünïcødé 日本 😀'],
])('visibleText(%j)', (input, expected) => {
  expect(visibleText(input)).toBe(expected);
});

test('oneLine escapes newlines and never splits a character', () => {
  expect(oneLine('a\nb')).toBe('a\\u000ab');
  expect(oneLine('😀😀😀', 2)).toBe('😀😀…');
});

test('a shared link to an event not on the first page fetches it by id and opens its drawer', async () => {
  const falco = standInFalco((q) => {
    if (q.queryType === 'event') {
      return [eventsFrame(q.id === 'evt-old' ? [{ ...SHELL, id: 'evt-old', hostname: 'node-9' }] : [])];
    }
    return q.queryType === 'events' ? [eventsFrame([SHELL])] : [];
  });
  const scene = eventsScene();
  sceneUtils.syncStateFromSearchParams(scene, new URLSearchParams('event=evt-old'));
  activateTree(scene);
  await settle();
  const list = sceneGraph.findObject(scene, (o) => o instanceof EventList) as EventList;
  render(<list.Component model={list} />);
  await act(async () => settle());
  expect(falco.queries.filter((q) => q.queryType === 'event')).toEqual([
    expect.objectContaining({ queryType: 'event', id: 'evt-old' }),
  ]);
  const drawer = await screen.findByTestId(testIds.drawer);
  expect(within(drawer).getByRole('rowheader', { name: 'Hostname' }).nextSibling).toHaveTextContent('node-9');
});

test('a shared link to an event that no longer exists says so and opens nothing', async () => {
  standInFalco((q) =>
    q.queryType === 'events' ? [eventsFrame([SHELL])] : q.queryType === 'event' ? [eventsFrame([])] : []
  );
  const scene = eventsScene();
  sceneUtils.syncStateFromSearchParams(scene, new URLSearchParams('event=gone'));
  activateTree(scene);
  await settle();
  const list = sceneGraph.findObject(scene, (o) => o instanceof EventList) as EventList;
  render(<list.Component model={list} />);
  await act(async () => settle());
  expect(screen.getByText('No event with id gone')).toBeInTheDocument();
  expect(screen.queryByTestId(testIds.drawer)).not.toBeInTheDocument();
  expect(list.state.selected).toBeUndefined();
});

test('"Only this pod" narrows the page to the event\'s pod, reruns the list with it and closes the drawer', async () => {
  const falco = standInFalco((q) => (q.queryType === 'events' ? [eventsFrame([SHELL])] : []));
  const scene = eventsScene();
  sceneUtils.syncStateFromSearchParams(scene, new URLSearchParams('var-namespace=web'));
  activateTree(scene);
  await settle();
  const list = sceneGraph.findObject(scene, (o) => o instanceof EventList) as EventList;
  render(<list.Component model={list} />);
  fireEvent.click(screen.getByTestId(testIds.row));
  const drawer = await screen.findByTestId(testIds.drawer);
  expect(within(drawer).getByRole('button', { name: /Only this node/ })).toBeInTheDocument();
  await act(async () => {
    fireEvent.click(within(drawer).getByRole('button', { name: /Only this pod/ }));
    await settle();
  });
  expect(screen.queryByTestId(testIds.drawer)).not.toBeInTheDocument();
  const last = falco.queries.filter((q) => q.queryType === 'events').pop();
  expect(last?.filters).toEqual({ namespaces: ['web'], pods: ['nginx-7d4b9'] });
});
