import type { DrilldownKind } from '../spec';
import { EventList } from './EventList';
import { EventSubject, eventFilters } from './eventQueries';

const TITLES: Record<DrilldownKind, (s: EventSubject) => string> = {
  pod: (s) => `Falco events of pod ${s.namespace}/${s.pod}`,
  namespace: (s) => `Falco events in namespace ${s.namespace}`,
  rule: (s) => `Falco events of rule ${s.rule}`,
};

// The events of a drilldown's subject, at the top of the investigation; the drilldown's minimum priority applies.
export function drilldownEvents(kind: DrilldownKind, subject: EventSubject, page: string): EventList {
  return new EventList({ title: TITLES[kind](subject), filters: eventFilters(['minPriority'], subject), page });
}
