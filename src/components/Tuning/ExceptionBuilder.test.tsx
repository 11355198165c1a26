import React from 'react';
import { act, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { of, throwError } from 'rxjs';
import { parse } from 'yaml';
import { locationService } from '@grafana/runtime';
import { loadWorkingCopy, saveWorkingCopy } from '../RuleEditor/workingCopy';
import { EventDrawer } from '../../scenes/events/EventDrawer';
import type { FalcoEvent } from '../../scenes/events/eventRows';
import { AddExceptionButton } from './AddExceptionButton';
import { readFalcoValue } from './falcoValue';
import { TopSources } from './TopSources';
import type { TuningFields, TuningPreview, TuningSources } from './tuningApi';

const fetch = jest.fn();
jest.mock('@grafana/runtime', () => ({
  ...jest.requireActual('@grafana/runtime'),
  getBackendSrv: () => ({ fetch }),
}));

const RULE = 'Terminal shell in container';
const UID = 'falco'; // the app's default Falco datasource uid (appSettings)

const fields: TuningFields = {
  rule: RULE,
  source: 'syscall',
  comps: ['=', '!=', 'startswith', 'endswith', 'contains', 'in'],
  eventsRead: 20,
  fields: [
    { field: 'container.image.repository', type: 'CHARBUF', comp: '=', checked: true },
    { field: 'proc.name', type: 'CHARBUF', comp: '=', checked: true },
    { field: 'fd.name', type: 'CHARBUF', comp: 'startswith', checked: false },
    {
      field: 'k8s.pod.name',
      type: 'CHARBUF',
      comp: '=',
      checked: false,
      note: 'changes with each rollout; prefer the image or the workload',
    },
  ],
};

const preview: TuningPreview = {
  condition: ' and not (...)',
  windows: [
    { period: '24h', total: 32, matched: 20, unknown: 0, left: 12, exact: true },
    { period: '7d', total: 37, matched: 25, unknown: 0, left: 12, exact: true },
  ],
  unknownFields: [],
  matched: [{ id: 'a', time: '2026-12-06T10:00:00Z', output: 'shell sh in shop', values: {} }],
  unmatched: [{ id: 'b', time: '2026-12-06T10:00:00Z', output: 'shell bash in web', values: {} }],
  warnings: ['This exception silences events of 2 namespaces (shop, web).'],
};

const sources: TuningSources = {
  rule: RULE,
  fields: ['container.image.repository', 'proc.name'],
  total: 32,
  of: 3,
  rows: [
    {
      values: [
        { text: 'ghcr.io/shop/app', state: 'text' },
        { text: 'sh', state: 'text' },
      ],
      count: 20,
      share: 0.625,
    },
    {
      values: [
        { text: 'docker.io/library/nginx', state: 'text' },
        { text: 'bash', state: 'text' },
      ],
      count: 10,
      share: 0.3125,
    },
    {
      values: [
        { text: 'ghcr.io/shop/app', state: 'text' },
        { text: '', state: 'unresolved' },
      ],
      count: 2,
      share: 0.0625,
    },
  ],
};

// The Drawer renders slowly on a busy machine.
jest.setTimeout(30_000);

const previews = () => fetch.mock.calls.map((c) => c[0]).filter((r) => r.url.endsWith('/tuning/preview'));

beforeEach(() => {
  fetch.mockReset();
  fetch.mockImplementation((req: { url: string }) => {
    if (req.url.endsWith('/tuning/fields')) {
      return of({ data: fields });
    }
    if (req.url.endsWith('/tuning/sources')) {
      return of({ data: sources });
    }
    if (req.url.endsWith('/tuning/preview')) {
      return of({ data: preview });
    }
    return throwError(() => ({ status: 404, data: { error: `no resource ${req.url}` } }));
  });
  window.localStorage.clear();
});

// An event whose values hold every character Falco's condition text is sensitive to.
const hostileEvent = {
  'container.image.repository': 'ghcr.io/shop/"app", (v2)',
  'proc.name': "it's sh ✓",
  'fd.name': '/etc/a b',
  'k8s.pod.name': 'app-7c9d',
  'user.name': null,
};

test('the drawer’s Add exception drafts from the event: stable fields checked, values filled, a live preview', async () => {
  render(<AddExceptionButton rule={RULE} outputFields={hostileEvent} />);
  fireEvent.click(screen.getByRole('button', { name: 'Add exception' }));
  const dialog = await screen.findByRole('dialog');
  expect(await within(dialog).findByRole('checkbox', { name: 'container.image.repository' })).toBeChecked();
  expect(within(dialog).getByRole('checkbox', { name: 'proc.name' })).toBeChecked();
  expect(within(dialog).getByRole('checkbox', { name: /k8s.pod.name/ })).not.toBeChecked();
  expect(within(dialog).getByText(/changes with each rollout/)).toBeInTheDocument();
  expect(within(dialog).getByRole('textbox', { name: 'container.image.repository value, row 1' })).toHaveValue(
    'ghcr.io/shop/"app", (v2)'
  );
  expect(await within(dialog).findByText(/Last 24 h: 20 of 32 stored events silenced, 12 left/)).toBeInTheDocument();
  expect(within(dialog).getByText(/Last 7 days: 25 of 37/)).toBeInTheDocument();
  expect(within(dialog).getByText(/2 namespaces \(shop, web\)/)).toBeInTheDocument();
  expect(within(dialog).getByText('shell sh in shop')).toBeInTheDocument();
  expect(previews()[0].data.exception).toEqual({
    rule: RULE,
    name: 'tuned: ghcr.io/shop/"app", (v2) it\'s sh ✓',
    fields: ['container.image.repository', 'proc.name'],
    comps: ['=', '='],
    values: [['ghcr.io/shop/"app", (v2)', "it's sh ✓"]],
  });

  // A comp and a field more: the next preview asks for them.
  fireEvent.click(within(dialog).getByRole('checkbox', { name: 'fd.name' }));
  const fdComps = within(dialog).getByRole('radiogroup', { name: 'Comparison for fd.name' });
  expect(within(fdComps).getByRole('radio', { name: 'startswith' })).toBeChecked();
  fireEvent.click(
    within(within(dialog).getByRole('radiogroup', { name: 'Comparison for proc.name' })).getByRole('radio', {
      name: 'contains',
    })
  );
  await waitFor(() =>
    expect(previews().at(-1).data.exception).toMatchObject({
      fields: ['container.image.repository', 'proc.name', 'fd.name'],
      comps: ['=', 'contains', 'startswith'],
      values: [['ghcr.io/shop/"app", (v2)', "it's sh ✓", '/etc/a b']],
    })
  );
});

test('says what stops a draft and never sends it', async () => {
  render(<AddExceptionButton rule={RULE} outputFields={{ 'proc.name': 'C:\\tools\\' }} />);
  fireEvent.click(screen.getByRole('button', { name: 'Add exception' }));
  const dialog = await screen.findByRole('dialog');
  // The event has no image field: its value is empty until filled in or the field unchecked.
  expect(await within(dialog).findByText(/Row 1, container.image.repository: the value is empty/)).toBeInTheDocument();
  fireEvent.click(within(dialog).getByRole('checkbox', { name: 'container.image.repository' }));
  expect(await within(dialog).findByText(/Row 1, proc.name: the value ends with a backslash/)).toBeInTheDocument();
  expect(within(dialog).queryByText(/the value is empty/)).not.toBeInTheDocument();
  expect(within(dialog).getByRole('button', { name: 'Open in Rules editor' })).toBeDisabled();
  fireEvent.click(within(dialog).getByRole('checkbox', { name: 'proc.name' }));
  expect(within(dialog).getByText(/Check at least one field/)).toBeInTheDocument();
  await act(() => new Promise((r) => setTimeout(r, 400)));
  expect(previews()).toHaveLength(0);
});

test('Open in Rules editor adds the exception to the working copy and opens its file; nothing is deployed', async () => {
  saveWorkingCopy(UID, [{ name: 'custom_rules.yaml', content: '- list: mine\n  items: [a]\n' }]);
  const push = jest.spyOn(locationService, 'push');
  render(<AddExceptionButton rule={RULE} outputFields={hostileEvent} />);
  fireEvent.click(screen.getByRole('button', { name: 'Add exception' }));
  const dialog = await screen.findByRole('dialog');
  await within(dialog).findByText(/Last 24 h/);
  fireEvent.click(within(dialog).getByRole('button', { name: 'Open in Rules editor' }));
  const files = loadWorkingCopy(UID).files;
  expect(files.map((f) => f.name)).toEqual(['custom_rules.yaml', 'tuning_exceptions.yaml']);
  const [item] = parse(files[1].content);
  expect(item.override).toEqual({ exceptions: 'append' });
  expect(item.exceptions[0].values.map((r: string[]) => r.map(readFalcoValue))).toEqual([
    ['ghcr.io/shop/"app", (v2)', "it's sh ✓"],
  ]);
  expect(push).toHaveBeenCalledWith({
    pathname: '/a/containersec-security-app/rules',
    search: '?file=tuning_exceptions.yaml',
  });
  expect(fetch.mock.calls.some((c) => c[0].url.includes('/deploy/'))).toBe(false);
  expect(screen.queryByRole('dialog')).not.toBeInTheDocument();
});

test('Top sources of this rule: rows selected become one exception’s rows', async () => {
  render(<TopSources datasourceUid={UID} rule={RULE} from={1000} to={2000} />);
  expect(screen.getByRole('heading', { name: 'Top sources of this rule' })).toBeInTheDocument();
  expect(await screen.findByText('docker.io/library/nginx')).toBeInTheDocument();
  const req = fetch.mock.calls.map((c) => c[0]).find((r) => r.url.endsWith('/tuning/sources'));
  expect(req.params).toEqual({ rule: RULE, fields: 'container.image.repository,proc.name', from: '1000', to: '2000' });
  expect(screen.getByText('62.5%')).toBeInTheDocument();
  expect(screen.getByText('(Falco could not read it)')).toBeInTheDocument();
  expect(screen.getByRole('checkbox', { name: 'Select source 3' })).toBeDisabled();
  const add = screen.getByRole('button', { name: 'Add exception for selected' });
  expect(add).toBeDisabled();
  fireEvent.click(screen.getByRole('checkbox', { name: 'Select source 1' }));
  fireEvent.click(screen.getByRole('checkbox', { name: 'Select source 2' }));
  fireEvent.click(add);
  const dialog = await screen.findByRole('dialog');
  await within(dialog).findByText(/Last 24 h/);
  expect(previews().at(-1).data.exception).toMatchObject({
    fields: ['container.image.repository', 'proc.name'],
    values: [
      ['ghcr.io/shop/app', 'sh'],
      ['docker.io/library/nginx', 'bash'],
    ],
  });
});

test('the event drawer offers Add exception for the event’s rule, seeded with its output fields', async () => {
  const event: FalcoEvent = {
    id: 'e1',
    time: 0,
    priority: 'Notice',
    rule: RULE,
    source: 'syscall',
    hostname: 'node-1',
    cluster: '',
    namespace: 'shop',
    pod: 'app-7c9d',
    container: 'app',
    image: 'ghcr.io/shop/app',
    process: 'sh',
    cmdline: 'sh -i',
    user: 'root',
    parent: 'bash',
    tags: [],
    output: 'shell',
    outputFields: { 'container.image.repository': 'ghcr.io/shop/app', 'proc.name': 'sh', 'user.name': null },
    outputFieldsRaw: '',
  };
  render(<EventDrawer event={event} links={{}} onClose={() => {}} />);
  fireEvent.click(screen.getByRole('button', { name: 'Add exception' }));
  const dialog = await screen.findByRole('dialog', { name: `Add exception to ${RULE}` });
  expect(await within(dialog).findByRole('textbox', { name: 'proc.name value, row 1' })).toHaveValue('sh');
});
