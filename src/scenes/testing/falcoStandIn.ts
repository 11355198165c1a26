import { of } from 'rxjs';
import { createDataFrame, DataFrame, DataQueryRequest, FieldType, LoadingState } from '@grafana/data';
import { setDataSourceSrv, setRunRequest, setTemplateSrv } from '@grafana/runtime';
import { sceneGraph, SceneObject } from '@grafana/scenes';
import { DataSource } from '../../datasource/datasource';
import type { FalcoQuery } from '../../datasource/types';
import { setEventsDatasourceUid } from '../events/eventQueries';
import { FALCO, PROMETHEUS, standInGrafana } from './grafanaStandIn';

// Grafana's runtime for event scenes: the real Falco DataSource class (so its applyTemplateVariables runs, with
// scenes' interpolation behind getTemplateSrv as in Grafana) and a backend answering each query from `answer`.

export interface FalcoStandIn {
  // Every Falco query the scenes issued, as the backend would receive it (variables interpolated).
  queries: FalcoQuery[];
  requests: DataQueryRequest[]; // the requests themselves (time range, interval)
  answer: (q: FalcoQuery) => DataFrame[];
}

export function standInFalco(answer: (q: FalcoQuery) => DataFrame[] = () => []): FalcoStandIn {
  standInGrafana(); // panel plugins; the datasources and the backend are replaced below
  const standIn: FalcoStandIn = { queries: [], requests: [], answer };
  const falco = new DataSource({ ...FALCO, id: 2, jsonData: {}, meta: { id: FALCO.type } } as any);
  const prometheus = {
    ...PROMETHEUS,
    meta: { id: 'prometheus' },
    getRef: () => PROMETHEUS,
    metricFindQuery: async () => [],
  };
  const settings: Record<string, object> = {
    [PROMETHEUS.uid]: { ...PROMETHEUS, meta: { id: 'prometheus' } },
    [FALCO.uid]: { ...FALCO, meta: { id: FALCO.type } },
  };
  const uidOf = (ref: unknown) => (typeof ref === 'string' ? ref : ((ref as { uid?: string })?.uid ?? ''));
  setDataSourceSrv({
    get: async (ref: unknown) => (uidOf(ref) === FALCO.uid ? falco : prometheus),
    getInstanceSettings: (ref: unknown) => settings[uidOf(ref)],
    getList: () => Object.values(settings),
  } as any);
  // Grafana's templateSrv hands interpolation to the scene object a request came from.
  setTemplateSrv({
    replace: (target?: string, scopedVars?: any, format?: any) => {
      const source = scopedVars?.__sceneObject?.value as SceneObject | undefined;
      return source ? sceneGraph.interpolate(source, target, scopedVars, format) : (target ?? '');
    },
  } as any);
  setRunRequest((ds, request: DataQueryRequest) => {
    if (ds !== falco) {
      return of({ state: LoadingState.Done, series: [], timeRange: request.range });
    }
    standIn.requests.push(request);
    const series = request.targets.flatMap((t) => {
      const q = falco.applyTemplateVariables(t as FalcoQuery, request.scopedVars);
      standIn.queries.push(q);
      return standIn.answer(q);
    });
    return of({ state: LoadingState.Done, series, timeRange: request.range, request });
  });
  setEventsDatasourceUid(FALCO.uid);
  return standIn;
}

export interface EventRow {
  id: string;
  time?: number;
  priority?: string;
  rule?: string;
  source?: string;
  hostname?: string;
  namespace?: string;
  pod?: string;
  tags?: string;
  output?: string;
  output_fields?: string;
  [k: string]: string | number | undefined;
}

const COLUMNS = [
  'id',
  'time',
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
  'tags',
  'output',
  'output_fields',
];

// An "events" frame in the contract's shape (events-api.md): fields in order, nextCursor in meta.custom.
export function eventsFrame(rows: EventRow[], nextCursor = ''): DataFrame {
  return createDataFrame({
    name: 'events',
    meta: { custom: { nextCursor }, preferredVisualisationType: 'table' },
    fields: COLUMNS.map((name) => ({
      name,
      type: name === 'time' ? FieldType.time : FieldType.string,
      values: rows.map((r) => (name === 'time' ? (r.time ?? 0) : String(r[name] ?? ''))),
    })),
  });
}

// An "eventValues" frame: value and count, most frequent first.
export function valuesFrame(values: string[]): DataFrame {
  return createDataFrame({
    fields: [
      { name: 'value', type: FieldType.string, values },
      { name: 'count', type: FieldType.number, values: values.map((_, i) => values.length - i) },
    ],
  });
}
