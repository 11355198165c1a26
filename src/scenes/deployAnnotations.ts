import { dataLayers } from '@grafana/scenes';
import { QueryType } from '../datasource/types';
import { eventsDatasource } from './events/eventQueries';

export const DEPLOY_ANNOTATIONS_NAME = 'Rules deploys';

// The Falco release's deploys, rollbacks and recoveries as annotations on every panel of a page (the Falco datasource's
// deployAnnotations query); with a rule, only the deploys that changed it. A switch in the controls hides them. One
// layer, not a SceneDataLayerSet: the controls label the scene's layer by its name and for its switch.
export function deployAnnotationLayer(rule?: string): dataLayers.AnnotationsDataLayer {
  return new dataLayers.AnnotationsDataLayer({
    name: DEPLOY_ANNOTATIONS_NAME,
    description: rule
      ? `Deploys and rollbacks of the Falco rules that changed the rule ${rule}`
      : 'Deploys and rollbacks of the Falco rules',
    isEnabled: true,
    query: {
      name: DEPLOY_ANNOTATIONS_NAME,
      enable: true,
      iconColor: 'purple',
      datasource: eventsDatasource(),
      target: { refId: 'Anno', queryType: QueryType.DeployAnnotations, ...(rule ? { rule } : {}) },
    },
  });
}
