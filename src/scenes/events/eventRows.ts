import { DataFrame } from '@grafana/data';

// One Falco event as the events frame carries it (events-api.md: the field order and names of the "events" frame).
export interface FalcoEvent {
  id: string;
  time: number; // ms since epoch
  priority: string;
  rule: string;
  source: string;
  hostname: string;
  cluster: string;
  namespace: string;
  pod: string;
  container: string;
  image: string;
  process: string;
  cmdline: string;
  user: string;
  parent: string;
  tags: string[];
  output: string;
  outputFields: Record<string, unknown>; // empty when the store had none or they were not a JSON object
  outputFieldsRaw: string; // as stored, shown when it is not a JSON object
}

const TEXT_FIELDS = [
  'id',
  'priority',
  'rule',
  'source',
  'hostname',
  'cluster',
  'namespace',
  'pod',
  'container',
  'image',
  'process',
  'cmdline',
  'user',
  'parent',
  'output',
] as const;

function toTime(v: unknown): number {
  if (typeof v === 'number') {
    return v;
  }
  const parsed = Date.parse(String(v ?? ''));
  return Number.isNaN(parsed) ? 0 : parsed;
}

function parseFields(raw: string): Record<string, unknown> {
  if (!raw) {
    return {};
  }
  try {
    const parsed: unknown = JSON.parse(raw);
    return parsed && typeof parsed === 'object' && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

// The events of an "events" (or "event") frame; a field the frame lacks reads as empty, never as "undefined".
export function eventsOf(frame: DataFrame | undefined): FalcoEvent[] {
  if (!frame) {
    return [];
  }
  const column = (name: string) => frame.fields.find((f) => f.name === name)?.values;
  const text = (name: string, i: number) => {
    const v = column(name)?.[i];
    return v === undefined || v === null ? '' : String(v);
  };
  const events: FalcoEvent[] = [];
  for (let i = 0; i < frame.length; i++) {
    const e = { time: toTime(column('time')?.[i]) } as FalcoEvent;
    for (const name of TEXT_FIELDS) {
      e[name] = text(name, i);
    }
    e.tags = text('tags', i)
      .split(',')
      .map((t) => t.trim())
      .filter(Boolean);
    e.outputFieldsRaw = text('output_fields', i);
    e.outputFields = parseFields(e.outputFieldsRaw);
    events.push(e);
  }
  return events;
}

// The cursor of the next page, from frame.meta.custom.nextCursor; '' when this was the last page.
export function nextCursorOf(frame: DataFrame | undefined): string {
  const cursor = (frame?.meta?.custom as { nextCursor?: unknown } | undefined)?.nextCursor;
  return typeof cursor === 'string' ? cursor : '';
}
