import { lastValueFrom } from 'rxjs';
import { getBackendSrv } from '@grafana/runtime';
import { errorMessage } from '../../api/rules';

// The Falco datasource's tuning endpoints (pkg/plugin/tuning_resources.go): they only read stored events.

export interface ExceptionDraft {
  rule: string;
  name: string;
  fields: string[];
  comps: string[];
  values: string[][];
}

export interface FieldCandidate {
  field: string;
  type: string;
  comp: string;
  checked: boolean;
  note?: string;
}

export interface TuningFields {
  rule: string;
  source: string;
  fields: FieldCandidate[];
  comps: string[];
  eventsRead: number;
}

export interface SourceCell {
  text: string;
  state: 'text' | 'absent' | 'unresolved' | 'other';
}

export interface SourceRow {
  values: SourceCell[];
  count: number;
  share: number;
}

export interface TuningSources {
  rule: string;
  fields: string[];
  total: number;
  rows: SourceRow[];
  of: number;
  unavailable?: string;
}

export interface PreviewWindow {
  period: string;
  total: number;
  matched: number;
  unknown: number;
  left: number;
  exact: boolean;
}

export interface PreviewSample {
  id: string;
  time: string;
  output: string;
  values: Record<string, string>;
}

export interface TuningPreview {
  windows?: PreviewWindow[];
  unknownFields?: string[];
  matched?: PreviewSample[];
  unmatched?: PreviewSample[];
  warnings?: string[];
  condition: string;
  unavailable?: string;
}

const base = (uid: string) => `/api/datasources/uid/${encodeURIComponent(uid)}/resources/tuning`;

async function call<T>(req: {
  url: string;
  method: string;
  params?: Record<string, string>;
  data?: unknown;
}): Promise<T> {
  try {
    const res = await lastValueFrom(
      getBackendSrv().fetch<T>({ ...req, showErrorAlert: false, showSuccessAlert: false })
    );
    return res.data;
  } catch (e) {
    throw new Error(errorMessage(e));
  }
}

export function getTuningFields(uid: string, rule: string): Promise<TuningFields> {
  return call({ url: `${base(uid)}/fields`, method: 'GET', params: { rule } });
}

export function getTopSources(
  uid: string,
  rule: string,
  fields: string[],
  from: number,
  to: number
): Promise<TuningSources> {
  return call({
    url: `${base(uid)}/sources`,
    method: 'GET',
    params: { rule, fields: fields.join(','), from: String(from), to: String(to) },
  });
}

export function previewException(uid: string, exception: ExceptionDraft): Promise<TuningPreview> {
  return call({ url: `${base(uid)}/preview`, method: 'POST', data: { exception } });
}
