import {
  NewSceneObjectAddedEvent,
  SceneObjectBase,
  SceneObjectState,
  SceneObjectUrlSyncConfig,
  SceneObjectUrlValues,
  VariableDependencyConfig,
  VizPanel,
  sceneGraph,
} from '@grafana/scenes';
import { EXPORTERS } from '../../queries';
import type { Exporter, QueryCategory, QueryEntry, QueryParams } from '../../queries/types';
import { missingExporters } from '../../scenes/exporterPresence';
import { CATEGORY_TITLES, LibraryCatalog } from './catalogTypes';
import { filterEntries, LibraryFilter } from './filters';
import { previewPanel, updatePreview } from './preview';
import { PARAM_URL_KEYS, paramsFromUrl, paramsToUrl, singleUrlValue } from './urlState';
import { LibraryView } from './LibraryView';
import { DATASOURCE_VARIABLE } from './datasourceVariable';

export interface LibrarySceneState extends SceneObjectState, LibraryFilter {
  entryId?: string;
  params: QueryParams; // what the form holds; an entry is built from the ones it takes
  missing?: Exporter[]; // exporters the page's Prometheus has no series of; undefined until checked
  preview?: VizPanel;
}

// The built query of the selected entry, or why it could not be built.
export interface BuiltQuery {
  expr?: string;
  error?: string;
}

// LibraryScene is the query library page: filters, the selected entry, its parameters and its preview, all in the URL.
export class LibraryScene extends SceneObjectBase<LibrarySceneState> {
  static Component = LibraryView;

  protected _urlSync = new SceneObjectUrlSyncConfig(this, {
    keys: ['search', 'category', 'exporter', 'entry', ...PARAM_URL_KEYS],
  });

  protected _variableDependency = new VariableDependencyConfig(this, {
    variableNames: [DATASOURCE_VARIABLE],
    onReferencedVariableValueChanged: () => this.checkExporters(),
  });

  constructor(
    readonly catalog: LibraryCatalog,
    state: Partial<LibrarySceneState> = {}
  ) {
    super({ search: '', params: {}, ...state });
    this.addActivationHandler(() => {
      // The page loads this body after its URL sync started; announcing it is how it gets the link's state.
      this.publishEvent(new NewSceneObjectAddedEvent(this), true);
      this.syncPreview();
      this.checkExporters();
    });
  }

  get datasourceUid(): string {
    return sceneGraph.interpolate(this, `\${${DATASOURCE_VARIABLE}}`);
  }

  visibleEntries(): QueryEntry[] {
    return filterEntries(this.catalog.entries, this.state);
  }

  selectedEntry(): QueryEntry | undefined {
    return this.catalog.entries.find((e) => e.id === this.state.entryId);
  }

  // Only the parameters the entry takes, so a namespace typed for one entry does not leak into another.
  entryParams(entry: QueryEntry): QueryParams {
    const params: QueryParams = {};
    for (const name of entry.params) {
      (params as Record<string, unknown>)[name] = this.state.params[name];
    }
    return params;
  }

  builtQuery(entry: QueryEntry): BuiltQuery {
    try {
      return { expr: this.catalog.build(entry, this.entryParams(entry)) };
    } catch (e) {
      return { error: e instanceof Error ? e.message : String(e) };
    }
  }

  legend(entry: QueryEntry): string | undefined {
    return this.catalog.legend(entry, this.entryParams(entry));
  }

  requiredExporters(entry: QueryEntry): Exporter[] {
    try {
      return entry.exporters(this.entryParams(entry));
    } catch {
      return [];
    }
  }

  missingExporters(entry: QueryEntry): Exporter[] {
    return this.requiredExporters(entry).filter((e) => this.state.missing?.includes(e));
  }

  setFilter(filter: Partial<LibraryFilter>) {
    this.setState(filter);
  }

  selectEntry(entryId: string | undefined) {
    this.setState({ entryId });
    this.syncPreview();
  }

  setParams(params: Partial<QueryParams>) {
    this.setState({ params: { ...this.state.params, ...params } });
    this.syncPreview();
  }

  // Asks the datasource whether each exporter's probe metric exists (once per datasource); the answer marks entries.
  checkExporters() {
    const uid = this.datasourceUid;
    this.setState({ missing: undefined });
    missingExporters(uid, Object.keys(EXPORTERS) as Exporter[]).then((missing) => {
      if (this.datasourceUid === uid) {
        this.setState({ missing });
        this.syncPreview();
      }
    });
  }

  // The preview waits for the exporter checks and is left out when one is missing: the page explains instead.
  private syncPreview() {
    const entry = this.selectedEntry();
    const expr = entry ? this.builtQuery(entry).expr : undefined;
    if (!entry || expr === undefined || !this.state.missing || this.missingExporters(entry).length > 0) {
      this.setState({ preview: undefined });
    } else if (this.state.preview?.state.key === `preview-${entry.id}`) {
      updatePreview(this.state.preview, entry, expr, this.legend(entry));
    } else {
      this.setState({ preview: previewPanel(entry, expr, this.legend(entry), `\${${DATASOURCE_VARIABLE}}`) });
    }
  }

  getUrlState(): SceneObjectUrlValues {
    const { search, category, exporter, entryId, params } = this.state;
    return { search: search || undefined, category, exporter, entry: entryId, ...paramsToUrl(params) };
  }

  updateFromUrl(values: SceneObjectUrlValues) {
    const category = singleUrlValue(values.category);
    const exporter = singleUrlValue(values.exporter);
    this.setState({
      search: singleUrlValue(values.search) ?? '',
      category: category && category in CATEGORY_TITLES ? (category as QueryCategory) : undefined,
      exporter: exporter && exporter in EXPORTERS ? (exporter as Exporter) : undefined,
      entryId: singleUrlValue(values.entry),
      params: paramsFromUrl(values),
    });
    this.syncPreview();
  }
}
