import { PAGE_SPECS } from '../pages/specs';
import { DRILLDOWN_SPECS } from '../scenes/drilldowns/specs';
import type { PageSpec } from '../scenes/spec';

// One dashboard per app page and per drilldown, so every drilldown link has a dashboard to open.
export const DASHBOARD_PAGES: PageSpec[] = [...PAGE_SPECS, ...Object.values(DRILLDOWN_SPECS)];
