import React from 'react';
import { DataFrame, LoadingState, urlUtil } from '@grafana/data';
import {
  MultiValueVariable,
  SceneComponentProps,
  SceneObjectBase,
  SceneObjectState,
  SceneObjectUrlSyncConfig,
  SceneObjectUrlValues,
  SceneQueryRunner,
  TextBoxVariable,
  sceneGraph,
} from '@grafana/scenes';
import { Alert, Button, Combobox, LoadingPlaceholder, Stack, Text } from '@grafana/ui';
import { downloadText } from '../../components/Deploy/download';
import { drilldownUrl, prefixRoute, ROUTES } from '../../constants';
import { DEFAULT_EVENTS_LIMIT, EventFilters, FalcoQuery, MAX_EVENTS_LIMIT, QueryType } from '../../datasource/types';
import { EventDrawer, EventLinks } from './EventDrawer';
import { FalcoEvent, eventsOf, nextCursorOf } from './eventRows';
import { EventTable } from './EventTable';
import { eventsDatasource, eventsQuery, PAGE_SIZES, QUICK_FILTERS, QuickFilter } from './eventQueries';
import { eventsCsv, eventsJson } from './eventExport';
import { describeEventsError } from './eventsError';
import { eventCount, PriorityTotals } from './PriorityTotals';
import { testIds } from './testIds';

export interface EventListState extends SceneObjectState {
  title: string;
  filters: EventFilters;
  page: string; // the page whose pod, namespace and rule drilldowns the drawer links to
  $data: SceneQueryRunner;
  more: FalcoEvent[]; // events of the pages "Load more" fetched, after the first page
  moreCursor?: string; // the cursor after the last page fetched with "Load more"
  loadingMore: boolean;
  moreError?: string;
  moreRunner?: SceneQueryRunner; // the runner of the page or event being fetched
  linked?: FalcoEvent; // the event a shared link opened, when it is not among the pages shown
  selected?: string; // id of the event whose drawer is open; in the URL as ?event=<id>
  pageSize: number; // events per page (the backend's limit), in the URL as ?pageSize=
  totals: PriorityTotals;
}

function pageSizeOf(v: unknown): number | undefined {
  const n = Number(v);
  return Number.isInteger(n) && n >= 1 && n <= MAX_EVENTS_LIMIT ? n : undefined;
}

// Falco events of a page or drilldown, newest first, with "Load more" (the backend's cursor) and a details drawer.
export class EventList extends SceneObjectBase<EventListState> {
  static Component = EventListRenderer;

  protected _urlSync = new SceneObjectUrlSyncConfig(this, { keys: ['event', 'pageSize'] });

  constructor(state: Pick<EventListState, 'title' | 'filters'> & Partial<Pick<EventListState, 'page'>>) {
    super({
      page: ROUTES.Runtime,
      more: [],
      loadingMore: false,
      pageSize: DEFAULT_EVENTS_LIMIT,
      ...state,
      $data: new SceneQueryRunner({ datasource: eventsDatasource(), queries: [eventsQuery(state.filters)] }),
      totals: new PriorityTotals(state.filters),
    });
    // A new first page (filters, time range, refresh) starts the list again.
    this.addActivationHandler(() => {
      const sub = this.state.$data.subscribeToState((next, prev) => {
        if (next.data?.request?.requestId !== prev.data?.request?.requestId) {
          this.setState({
            more: [],
            moreCursor: undefined,
            moreError: undefined,
            loadingMore: false,
            moreRunner: undefined,
          });
        }
      });
      return () => sub.unsubscribe();
    });
  }

  getUrlState() {
    const { selected, pageSize } = this.state;
    return { event: selected, pageSize: pageSize === DEFAULT_EVENTS_LIMIT ? undefined : String(pageSize) };
  }

  updateFromUrl(values: SceneObjectUrlValues) {
    const event = typeof values.event === 'string' ? values.event : undefined;
    if (event !== this.state.selected) {
      this.setState({ selected: event });
    }
    const pageSize = pageSizeOf(values.pageSize) ?? DEFAULT_EVENTS_LIMIT;
    if (pageSize !== this.state.pageSize) {
      this.setPageSize(pageSize);
    }
  }

  // Events per page, up to the backend's 1000: the list starts again with pages of that size.
  public setPageSize(pageSize: number) {
    this.setState({ pageSize });
    const runner = this.state.$data;
    runner.setState({ queries: [eventsQuery(this.state.filters, undefined, pageSize)] });
    if (runner.isActive) {
      runner.runQueries();
    }
  }

  // Ask again after an error (the backend restarted, the network came back).
  public retry() {
    this.setState({ moreError: undefined });
    this.state.$data.runQueries();
    this.state.totals.state.$data.runQueries();
  }

  // The events shown, as a file: Falco's JSON lines or a CSV of the table's columns and more.
  public exportAs(format: 'csv' | 'json') {
    const events = this.events();
    const stamp = new Date().toISOString().replace(/[:.]/g, '-');
    if (format === 'csv') {
      downloadText(`falco-events-${stamp}.csv`, eventsCsv(events), 'text/csv');
    } else {
      downloadText(`falco-events-${stamp}.json`, eventsJson(events), 'application/json');
    }
  }

  public select(id: string | undefined) {
    this.setState({ selected: id });
  }

  private firstFrame(): DataFrame | undefined {
    return (
      this.state.$data.state.data?.series.find((f) => f.name === 'events') ?? this.state.$data.state.data?.series[0]
    );
  }

  public events(): FalcoEvent[] {
    return [...eventsOf(this.firstFrame()), ...this.state.more];
  }

  // The event whose drawer is open: from the pages shown, else the one a shared link opened.
  public selectedEvent(): FalcoEvent | undefined {
    const id = this.state.selected;
    return id
      ? (this.events().find((e) => e.id === id) ?? (this.state.linked?.id === id ? this.state.linked : undefined))
      : undefined;
  }

  public nextCursor(): string {
    return this.state.moreCursor ?? nextCursorOf(this.firstFrame());
  }

  // One query through the same runner machinery as the first page (time range, variables, the datasource's
  // interpolation); the runner sits in state so it resolves them from here up, and is dropped when it answered.
  private runOnce(query: FalcoQuery, onFrame: (frame: DataFrame | undefined, error?: string) => void) {
    const runner = new SceneQueryRunner({ datasource: eventsDatasource(), queries: [query] });
    this.setState({ moreRunner: runner });
    let deactivate: (() => void) | undefined;
    let done = false;
    const sub = runner.subscribeToState((s) => {
      const data = s.data;
      if (done || !data || data.state === LoadingState.Loading) {
        return;
      }
      done = true;
      sub.unsubscribe();
      deactivate?.();
      if (data.state === LoadingState.Error || data.errors?.length) {
        onFrame(undefined, data.errors?.[0]?.message ?? 'The Falco datasource did not answer');
        return;
      }
      onFrame(data.series.find((f) => f.name === 'events') ?? data.series[0]);
    });
    deactivate = runner.activate(); // runs the query
    if (done) {
      deactivate(); // the answer came while activating
    }
  }

  // The next page, after the ones shown.
  public loadMore() {
    const cursor = this.nextCursor();
    if (!cursor || this.state.loadingMore) {
      return;
    }
    this.setState({ loadingMore: true, moreError: undefined });
    this.runOnce(eventsQuery(this.state.filters, cursor, this.state.pageSize), (frame, error) => {
      if (error) {
        this.setState({ loadingMore: false, moreError: error });
        return;
      }
      const seen = new Set(this.events().map((e) => e.id));
      this.setState({
        loadingMore: false,
        more: [...this.state.more, ...eventsOf(frame).filter((e) => !seen.has(e.id))],
        moreCursor: nextCursorOf(frame),
      });
    });
  }

  // A shared link (?event=<id>) to an event not on the pages shown: fetched by id (the "event" query type).
  public openLinkedEvent() {
    const id = this.state.selected;
    if (!id || this.events().some((e) => e.id === id) || this.state.linked?.id === id) {
      return;
    }
    this.runOnce({ refId: 'event', queryType: QueryType.Event, id }, (frame, error) => {
      const event = eventsOf(frame).find((e) => e.id === id);
      if (this.state.selected === id) {
        this.setState(
          event ? { linked: event } : { selected: undefined, moreError: error ?? `No event with id ${id}` }
        );
      }
    });
  }

  // The filter variables of this list an event value can be put into (a drilldown's list filters by its subject).
  public filterable(): QuickFilter[] {
    const used = Object.values(this.state.filters).flat();
    return QUICK_FILTERS.filter(
      (name) => used.includes(`$${name}`) && sceneGraph.lookupVariable(name, this) instanceof MultiValueVariable
    );
  }

  // Narrow the page to one value of the open event (Falcosidekick-UI's click-to-filter), and close the drawer.
  public filterBy(name: QuickFilter, value: string) {
    const variable = sceneGraph.lookupVariable(name, this);
    if (variable instanceof MultiValueVariable && value !== '') {
      variable.changeValueTo([value], [value], true);
      this.setState({ selected: undefined });
    }
  }

  // Whether this list has the free-text filter an output field's value can be searched with.
  public canSearch(): boolean {
    return this.state.filters.text === '$text' && sceneGraph.lookupVariable('text', this) instanceof TextBoxVariable;
  }

  // Narrow the page to events whose output has this value (an output field without a filter of its own).
  public searchFor(value: string) {
    const variable = sceneGraph.lookupVariable('text', this);
    if (variable instanceof TextBoxVariable && value !== '') {
      variable.setValue(value);
      this.setState({ selected: undefined });
    }
  }

  // Drilldowns under the page, with the time range and minimum priority; the Rules page filtered to the rule.
  public linksFor(e: FalcoEvent): EventLinks {
    const range = sceneGraph.getTimeRange(this).state;
    // The minimum priority means the same on the drilldowns, so it travels with the time range.
    const minPriority = sceneGraph.lookupVariable('minPriority', this)?.getValue();
    const carried = {
      from: range.from,
      to: range.to,
      ...(minPriority ? { 'var-minPriority': String(minPriority) } : {}),
    };
    const query = `?${urlUtil.toUrlParams(carried)}`;
    const page = this.state.page;
    return {
      pod: e.namespace && e.pod ? drilldownUrl(page, 'pod', { namespace: e.namespace, pod: e.pod }) + query : undefined,
      namespace: e.namespace ? drilldownUrl(page, 'namespace', { namespace: e.namespace }) + query : undefined,
      rule: e.rule ? drilldownUrl(page, 'rule', { rule: e.rule }) + query : undefined,
      rulesPage: e.rule ? `${prefixRoute(ROUTES.Rules)}?${urlUtil.toUrlParams({ rule: e.rule })}` : undefined,
    };
  }
}

function EventListRenderer({ model }: SceneComponentProps<EventList>) {
  const { title, $data, more, loadingMore, moreError, selected, linked, totals, pageSize } = model.useState();
  const { data } = $data.useState();
  const timeZone = sceneGraph.getTimeRange(model).getTimeZone();
  const events = React.useMemo(() => model.events(), [model, data, more, linked]); // eslint-disable-line react-hooks/exhaustive-deps
  const cursor = model.nextCursor();
  const pageSizeId = React.useId();
  const open = model.selectedEvent();
  const loaded = data?.state === LoadingState.Done;
  React.useEffect(() => {
    if (loaded && selected) {
      model.openLinkedEvent();
    }
  }, [model, loaded, selected]);

  let body: React.ReactNode;
  if (!data || (data.state === LoadingState.Loading && events.length === 0)) {
    body = <LoadingPlaceholder text="Loading Falco events…" />;
  } else if (data.state === LoadingState.Error || data.errors?.length) {
    const problem = describeEventsError(data.errors?.[0]?.message);
    body = (
      <Alert severity="error" title={problem.title}>
        <Stack direction="column" gap={1}>
          <Text>{problem.hint}</Text>
          <Text color="secondary">Grafana said: {problem.detail}</Text>
          <div>
            <Button icon="sync" variant="secondary" onClick={() => model.retry()}>
              Retry
            </Button>
          </div>
        </Stack>
      </Alert>
    );
  } else if (events.length === 0) {
    body = <Text color="secondary">No Falco events match in this time range.</Text>;
  } else {
    body = <EventTable events={events} timeZone={timeZone} onSelect={(e) => model.select(e.id)} />;
  }

  return (
    <Stack direction="column" gap={1} grow={1}>
      <Stack justifyContent="space-between" alignItems="center" wrap="wrap">
        <Text element="h2" variant="h4">
          {title}
        </Text>
        <totals.Component model={totals} />
      </Stack>
      {events.length > 0 && (
        <Stack justifyContent="space-between" alignItems="center" wrap="wrap">
          <Text color="secondary">
            {`${eventCount(events.length)} shown`}
            {cursor ? ', more available' : ''}
          </Text>
          <Stack gap={1} alignItems="center">
            <label htmlFor={pageSizeId}>Events per page</label>
            <Combobox
              id={pageSizeId}
              // The label says what the number is: the options are the number alone, so "1000" fits the box.
              width={12}
              value={pageSize}
              options={PAGE_SIZES.map((n) => ({ value: n, label: String(n) }))}
              onChange={(o) => o && model.setPageSize(o.value)}
            />
            <Button size="sm" variant="secondary" icon="download-alt" onClick={() => model.exportAs('csv')}>
              Export CSV
            </Button>
            <Button size="sm" variant="secondary" icon="download-alt" onClick={() => model.exportAs('json')}>
              Export JSON
            </Button>
          </Stack>
        </Stack>
      )}
      {body}
      {moreError && (
        <Alert severity="error" title="Falco events could not be loaded">
          {moreError}
        </Alert>
      )}
      {cursor && events.length > 0 && (
        <div>
          <Button
            variant="secondary"
            data-testid={testIds.loadMore}
            disabled={loadingMore}
            onClick={() => model.loadMore()}
          >
            {loadingMore ? 'Loading…' : `Load ${pageSize} more`}
          </Button>
        </div>
      )}
      {open && (
        <EventDrawer
          event={open}
          links={model.linksFor(open)}
          filterable={model.filterable()}
          onFilter={(name, value) => model.filterBy(name, value)}
          onSearch={model.canSearch() ? (value) => model.searchFor(value) : undefined}
          timeZone={timeZone}
          onClose={() => model.select(undefined)}
        />
      )}
    </Stack>
  );
}
