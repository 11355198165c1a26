import type { DrilldownKind, PageSpec } from '../spec';
import { podDrilldownSpec } from './podSpec';
import { namespaceDrilldownSpec } from './namespaceSpec';
import { ruleDrilldownSpec } from './ruleSpec';

// The drilldown pages as data, for the drilldown scenes and for generated dashboards that want the same view.
export const DRILLDOWN_SPECS: Record<DrilldownKind, PageSpec> = {
  pod: podDrilldownSpec,
  namespace: namespaceDrilldownSpec,
  rule: ruleDrilldownSpec,
};
