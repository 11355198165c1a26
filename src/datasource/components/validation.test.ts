import { validateOptions } from './validation';

const FILE = { sqlitePath: '/var/lib/grafana/containersec-falco/events.db' };

test.each([
  [{}, { sqlitePath: expect.stringContaining('needs a file') }],
  [{ sqlitePath: '/var/lib/grafana/grafana.db' }, { sqlitePath: expect.stringContaining("Grafana's own database") }],
  [{ sqlitePath: '/var/lib/grafana/events.db' }, {}],
  [{ sqlitePath: 'events.db' }, { sqlitePath: expect.stringContaining('absolute') }],
  [{ sqlitePath: '/var/lib/../etc/passwd' }, { sqlitePath: expect.stringContaining("'..'") }],
  [{ sqlitePath: '/var/lib/grafana/' }, { sqlitePath: expect.stringContaining('file name') }],
  [{ eventStore: 'loki' }, { lokiUrl: expect.stringContaining('needs a URL') }],
  [{ eventStore: 'loki', lokiUrl: 'loki:3100' }, { lokiUrl: expect.stringMatching(/http/) }],
  [{ eventStore: 'loki', lokiUrl: 'ftp://loki:3100' }, { lokiUrl: 'Use http:// or https://' }],
  [{ eventStore: 'loki', lokiUrl: 'http://a:b@loki:3100' }, { lokiUrl: expect.stringContaining('credentials') }],
  [{ eventStore: 'loki', lokiUrl: 'https://loki.example:3100' }, {}],
  [{ eventStore: 'loki', sqlitePath: 'ignored-for-loki' }, { lokiUrl: expect.any(String) }],
  [{ ...FILE, retentionDays: 0 }, { retentionDays: expect.any(String) }],
  [{ ...FILE, retentionDays: 1.5 }, { retentionDays: expect.any(String) }],
  [{ ...FILE, retentionDays: 3651 }, { retentionDays: expect.any(String) }],
  [{ ...FILE, retentionDays: 30 }, {}],
  [{ ...FILE, maxStoreMB: 1024 }, {}],
  [{ ...FILE, maxStoreMB: 0 }, { maxStoreMB: expect.stringContaining('megabytes') }],
  [{ ...FILE, maxStoreMB: 10.5 }, { maxStoreMB: expect.any(String) }],
  [{ ...FILE, maxStoreMB: 1024 * 1024 + 1 }, { maxStoreMB: expect.any(String) }],
] as const)('validateOptions(%j)', (options, expected) => {
  expect(validateOptions(options as any)).toEqual(expected);
});
