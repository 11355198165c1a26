import React from 'react';
import { usePluginContext } from '@grafana/data';
import { SceneComponentProps, sceneGraph, SceneObjectBase, SceneObjectState } from '@grafana/scenes';
import { effectiveSettings } from '../../appSettings';
import type { AppSettings } from '../../constants';
import { TopSources } from './TopSources';

interface TopSourcesState extends SceneObjectState {
  rule: string;
}

// TopSourcesScene puts the rule's top sources on the rule drilldown, over the page's time range.
export class TopSourcesScene extends SceneObjectBase<TopSourcesState> {
  static Component = TopSourcesRenderer;
}

function TopSourcesRenderer({ model }: SceneComponentProps<TopSourcesScene>) {
  const { rule } = model.useState();
  const { value } = sceneGraph.getTimeRange(model).useState();
  const context = usePluginContext<AppSettings>();
  const uid = effectiveSettings(context?.meta.jsonData).falcoDatasourceUid;
  return <TopSources datasourceUid={uid} rule={rule} from={value.from.valueOf()} to={value.to.valueOf()} />;
}
