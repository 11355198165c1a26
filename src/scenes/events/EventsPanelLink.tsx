import React from 'react';
import { SceneComponentProps, SceneObjectBase, SceneObjectState, sceneGraph } from '@grafana/scenes';
import { LinkButton } from '@grafana/ui';

export interface EventsPanelLinkState extends SceneObjectState {
  url: string; // with the page's template variables and ${__url_time_range}, interpolated when shown
}

// The header link of a panel that counts Falco events: the Events page with the panel's time range and filters.
export class EventsPanelLink extends SceneObjectBase<EventsPanelLinkState> {
  static Component = EventsPanelLinkRenderer;
}

function EventsPanelLinkRenderer({ model }: SceneComponentProps<EventsPanelLink>) {
  const { url } = model.useState();
  // Re-render when the time range or a variable changes, so the link always carries the current ones.
  sceneGraph.getTimeRange(model).useState();
  sceneGraph.getVariables(model).useState();
  return (
    <LinkButton
      href={sceneGraph.interpolate(model, url)}
      size="sm"
      fill="text"
      variant="secondary"
      icon="list-ul"
      tooltip="The Falco events behind this panel, with its time range and filters"
    >
      Events
    </LinkButton>
  );
}
