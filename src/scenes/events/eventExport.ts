import type { FalcoEvent } from './eventRows';

// An event as Falco writes it in JSON (json_output: time, rule, priority, source, hostname, output, tags,
// output_fields) with the id falcosidekick gave it as uuid; a field Falco had no value for is left out.
export function falcoJson(e: FalcoEvent): Record<string, unknown> {
  const json: Record<string, unknown> = {
    uuid: e.id,
    time: new Date(e.time).toISOString(),
    rule: e.rule,
    priority: e.priority,
    source: e.source,
    hostname: e.hostname,
    output: e.output,
    tags: e.tags,
  };
  if (Object.keys(e.outputFields).length > 0) {
    json.output_fields = e.outputFields;
  } else if (e.outputFieldsRaw) {
    json.output_fields = e.outputFieldsRaw;
  }
  return Object.fromEntries(Object.entries(json).filter(([, v]) => v !== ''));
}

export function eventsJson(events: FalcoEvent[]): string {
  return JSON.stringify(events.map(falcoJson), null, 2);
}

export const CSV_COLUMNS: Array<[string, (e: FalcoEvent) => string]> = [
  ['time', (e) => new Date(e.time).toISOString()],
  ['priority', (e) => e.priority],
  ['rule', (e) => e.rule],
  ['namespace', (e) => e.namespace],
  ['pod', (e) => e.pod],
  ['process', (e) => e.process],
  ['cmdline', (e) => e.cmdline],
  ['image', (e) => e.image],
  ['hostname', (e) => e.hostname],
  ['source', (e) => e.source],
  ['tags', (e) => e.tags.join(',')],
  ['output', (e) => e.output],
  ['id', (e) => e.id],
];

// One CSV cell (RFC 4180 quoting). Event values come from whatever ran in a container: one starting with = + - @ or
// a tab would run as a formula in a spreadsheet (OWASP "CSV injection"), so it gets a leading apostrophe.
function cell(v: string): string {
  const safe = /^[=+\-@\t\r]/.test(v) ? `'${v}` : v;
  return `"${safe.replace(/"/g, '""')}"`;
}

export function eventsCsv(events: FalcoEvent[]): string {
  const lines = [CSV_COLUMNS.map(([name]) => name).join(',')];
  for (const e of events) {
    lines.push(CSV_COLUMNS.map(([, value]) => cell(value(e))).join(','));
  }
  return lines.join('\r\n') + '\r\n';
}
