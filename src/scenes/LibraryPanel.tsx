import React from 'react';
import type { DataLink } from '@grafana/data';
import {
  SceneComponentProps,
  SceneObjectBase,
  SceneObjectState,
  SceneQueryRunner,
  VariableDependencyConfig,
  VizPanel,
  MultiValueVariable,
  sceneGraph,
} from '@grafana/scenes';
import { LoadingPlaceholder } from '@grafana/ui';
import { getQuery, legendOf, recordsRead, requiredExporters } from '../queries';
import type {
  Exporter,
  FalcoMetricsSource,
  FalcoPriority,
  QueryEntry,
  QueryParams,
  Visualization,
} from '../queries/types';
import { drilldownLink, pageLink, SubjectLabels, subjectLabels } from './drilldownLinks';
import { countsFalcoEvents, eventsDataLink, eventsUrl, ownMinPriority } from './events/eventsLinks';
import { EventsPanelLink } from './events/EventsPanelLink';
import { missingExporters, missingRecords } from './exporterPresence';
import { MissingExporters } from './MissingExporters';
import { PanelContext, QueryShape, panelQueryParams } from './queryParams';
import { sourceLabelledTitle } from './sourceTitle';
import type { PageVariable, PanelSpec } from './spec';
import { ALL_PRIORITIES } from './variables';
import { buildVizPanel, fieldOverrides, panelQuery } from './vizPanel';

const SINGLE_VALUES: Visualization[] = ['stat', 'gauge', 'bargauge'];

export interface LibraryPanelState extends SceneObjectState {
  spec: PanelSpec;
  context: PanelContext;
  panel?: VizPanel;
  // Exporters Prometheus has no series of; undefined until the probe answered.
  missing?: Exporter[];
  // The recording rules the query reads have no series in the range: the panel runs its raw form (entry.fallback).
  raw?: boolean;
}

// What a panel running its raw form says, in its title and description.
export const RAW_TITLE_NOTE = ' (without recording rules: slower)';
export const RAW_DESCRIPTION_NOTE =
  'The Container Security recording rules are not installed (or have no data in this range), so this panel computes ' +
  'from the raw series, which is slower over long ranges and large clusters: apply ' +
  'rules/prometheus/containersec-prometheusrule.yaml.';

// A panel whose query comes from the library: falcoSource and minPriority change the query's shape, so the panel
// rebuilds its query from the library when they change, and shows how to enable a missing exporter instead of no data.
export class LibraryPanel extends SceneObjectBase<LibraryPanelState> {
  static Component = LibraryPanelRenderer;

  protected _variableDependency = new VariableDependencyConfig(this, {
    variableNames: ['datasource', 'falcoSource', 'minPriority', 'pod'],
    onReferencedVariableValueChanged: () => this.update(),
  });

  private runner?: SceneQueryRunner;

  constructor(state: Pick<LibraryPanelState, 'spec' | 'context'>) {
    super(state);
    this.addActivationHandler(() => {
      this.update();
      // A refresh or a new time range asks again whether the exporters are there (answers are cached for a while).
      const sub = sceneGraph.getTimeRange(this).subscribeToState(() => this.recheckExporters());
      return () => sub.unsubscribe();
    });
  }

  public get entry(): QueryEntry {
    return getQuery(this.state.spec.queryId);
  }

  private variableValue(name: PageVariable): string | undefined {
    if (!this.state.context.variables.includes(name)) {
      return undefined;
    }
    const value = sceneGraph.lookupVariable(name, this)?.getValue();
    return value === undefined || value === null ? undefined : String(value);
  }

  private shape(): QueryShape {
    const minPriority = this.variableValue('minPriority');
    const pod = this.state.context.variables.includes('pod') ? sceneGraph.lookupVariable('pod', this) : undefined;
    return {
      falcoSource: this.variableValue('falcoSource') as FalcoMetricsSource | undefined,
      minPriority: minPriority && minPriority !== ALL_PRIORITIES ? (minPriority as FalcoPriority) : undefined,
      allPods: pod instanceof MultiValueVariable && pod.hasAllValue(),
    };
  }

  private params(): QueryParams {
    return panelQueryParams(this.entry, this.state.spec, this.state.context, this.shape());
  }

  // The exporters the panel needs; an entry with a raw form runs without the recording rules, so they are not needed.
  private exporters(): Exporter[] {
    const exporters = requiredExporters(this.state.spec.queryId, this.params());
    return this.entry.fallback ? exporters.filter((e) => e !== 'recording-rules') : exporters;
  }

  private update() {
    const { spec, context } = this.state;
    const entry = this.entry;
    const params = this.params();
    const visualization = spec.visualization ?? entry.visualization;
    const raw = Boolean(this.state.raw && entry.fallback);
    const expr = raw && entry.fallback ? entry.fallback(params) : entry.build(params);
    const query = panelQuery(expr, legendOf(spec.queryId, params), visualization, entry.instant);
    const exporters = this.exporters();
    const links = panelLinks(spec, context, subjectLabels(exporters, query.legendFormat), visualization);
    const threshold = ownMinPriority(entry);
    if (countsFalcoEvents(entry)) {
      const events = eventsDataLink(context, query.legendFormat, visualization, threshold);
      // A single count (Critical and above) opens its events in one click: a stat with one link is that link.
      links.splice(0, SINGLE_VALUES.includes(visualization) ? links.length : 0);
      links.push(events);
    }

    const title = sourceLabelledTitle(spec.title, entry, exporters) + (raw ? RAW_TITLE_NOTE : '');
    const description = raw ? `${spec.description ?? entry.description} ${RAW_DESCRIPTION_NOTE}` : spec.description;
    if (!this.state.panel || !this.runner) {
      const { panel, runner } = buildVizPanel({ ...spec, title, description }, entry, query, links);
      this.runner = runner;
      this.setState({ panel });
    } else if (this.runner.state.queries[0]?.expr !== query.expr) {
      this.runner.setState({ queries: [query] });
      const fieldConfig = {
        defaults: { ...this.state.panel.state.fieldConfig.defaults, links },
        overrides: fieldOverrides(visualization, query.legendFormat, entry.unit),
      };
      // A panel never drawn (an exporter's status stood in its place) has no plugin yet: VizPanel.onFieldConfigChange
      // would read its defaults; the plugin applies them to this state when it loads.
      if (this.state.panel.getPlugin()) {
        this.state.panel.onFieldConfigChange(fieldConfig);
      } else {
        this.state.panel.setState({ fieldConfig });
      }
      this.state.panel.setState({ title, description: description ?? entry.description });
      this.runner.runQueries();
    }
    if (countsFalcoEvents(entry) && this.state.panel && !this.state.panel.state.titleItems) {
      this.state.panel.setState({
        titleItems: new EventsPanelLink({ url: eventsUrl(context, undefined, undefined, threshold) }),
      });
    }
    this.checkExporters(exporters);
  }

  private recheckExporters() {
    this.checkExporters(this.exporters());
  }

  private checkExporters(exporters: Exporter[]) {
    const datasourceUid = sceneGraph.interpolate(this, '${datasource}');
    // Over the dashboard's time range: last week's investigation needs last week's exporters, not today's.
    const { from, to } = sceneGraph.getTimeRange(this).state.value;
    const range = { from: from.unix(), to: to.unix() };
    const records = this.entry.fallback ? recordsRead(this.entry.build(this.params())) : [];
    Promise.all([
      missingExporters(datasourceUid, exporters, range),
      missingRecords(datasourceUid, records, range),
    ]).then(([missing, missingRecordList]) => {
      if (sceneGraph.interpolate(this, '${datasource}') !== datasourceUid) {
        return;
      }
      const raw = missingRecordList.length > 0;
      const sameMissing = this.state.missing?.join() === missing.join();
      if (raw !== Boolean(this.state.raw)) {
        this.setState({ raw, missing });
        this.update();
      } else if (!sameMissing) {
        this.setState({ missing });
      }
    });
  }
}

function panelLinks(
  spec: PanelSpec,
  ctx: PanelContext,
  labels: SubjectLabels,
  visualization: PanelSpec['visualization']
) {
  const links: DataLink[] = [];
  if (spec.drilldown) {
    const link = drilldownLink(spec.drilldown, ctx.page, labels, visualization ?? 'timeseries', ctx.variables);
    if (link) {
      links.push(link);
    }
  }
  if (spec.pageLink) {
    links.push(pageLink(spec.pageLink, spec.title, ctx.variables));
  }
  return links;
}

function LibraryPanelRenderer({ model }: SceneComponentProps<LibraryPanel>) {
  const { panel, missing, spec } = model.useState();
  if (!missing || !panel) {
    return <LoadingPlaceholder text={`Loading ${spec.title}…`} />;
  }
  if (missing.length > 0) {
    return <MissingExporters title={spec.title} exporters={missing} />;
  }
  return <panel.Component model={panel} />;
}
