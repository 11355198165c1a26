import { FALCO_DATASOURCE_TYPE, PROVISIONED_FALCO_UID } from '../../constants';
import {
  DEFAULT_EVENTS_LIMIT,
  EventFilters,
  MAX_EVENTS_LIMIT,
  FalcoQuery,
  GroupByField,
  QueryType,
} from '../../datasource/types';

// The Falco datasource the app's event lists query; App sets it from the app settings before building pages.
let falcoUid = PROVISIONED_FALCO_UID;
export function setEventsDatasourceUid(uid: string) {
  falcoUid = uid;
}
export function eventsDatasource() {
  return { type: FALCO_DATASOURCE_TYPE, uid: falcoUid };
}

// The Events page's filter variables: the URL keys are var-<name> (events-api.md "Links the frontend builds").
export const EVENT_FILTER_VARIABLES = [
  'minPriority',
  'rule',
  'namespace',
  'pod',
  'hostname',
  'source',
  'tag',
  'text',
] as const;
export type EventFilterVariable = (typeof EVENT_FILTER_VARIABLES)[number];
// The filters an event's own value can be put into from its drawer (each is a column of the events frame).
export const QUICK_FILTERS = ['rule', 'namespace', 'pod', 'hostname', 'source'] as const;
export type QuickFilter = (typeof QUICK_FILTERS)[number];

// A drilldown's subject: literal values from its URL path, never template variables.
export type EventSubject = Partial<Record<'namespace' | 'pod' | 'rule', string>>;

// The filters of the page's queries: each variable the page has, as "$name" for the datasource to interpolate
// (multi-values become lists there), and the drilldown's subject as its value.
export function eventFilters(variables: readonly EventFilterVariable[], subject: EventSubject = {}): EventFilters {
  const has = (v: EventFilterVariable) => variables.includes(v);
  const filters: EventFilters = {};
  if (has('minPriority')) {
    filters.minPriority = '$minPriority';
  }
  const set = (
    key: 'rules' | 'namespaces' | 'pods' | 'hostnames' | 'sources' | 'tags',
    v: EventFilterVariable,
    literal?: string
  ) => {
    if (literal !== undefined) {
      filters[key] = [literal];
    } else if (has(v)) {
      filters[key] = [`$${v}`];
    }
  };
  set('rules', 'rule', subject.rule);
  set('namespaces', 'namespace', subject.namespace);
  set('pods', 'pod', subject.pod);
  set('hostnames', 'hostname');
  set('sources', 'source');
  set('tags', 'tag');
  if (has('text')) {
    filters.text = '$text';
  }
  return filters;
}

// Page sizes the list offers, up to the backend's maximum (pkg/events MaxLimit).
export const PAGE_SIZES = [DEFAULT_EVENTS_LIMIT, 250, 500, MAX_EVENTS_LIMIT];

export function eventsQuery(filters: EventFilters, cursor?: string, limit = DEFAULT_EVENTS_LIMIT): FalcoQuery {
  return {
    refId: 'events',
    queryType: QueryType.Events,
    filters,
    limit,
    ...(cursor ? { cursor } : {}),
  };
}

export function eventCountsQuery(filters: EventFilters, groupBy: GroupByField = 'priority'): FalcoQuery {
  return { refId: 'counts', queryType: QueryType.EventCounts, filters, groupBy };
}
