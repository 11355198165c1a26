import type { PageSpec } from '../scenes/spec';
import { overviewSpec } from './Overview/spec';
import { runtimeSpec } from './Runtime/spec';
import { resourcesSpec } from './Resources/spec';
import { networkSpec } from './Network/spec';
import { postureSpec } from './Posture/spec';

// The app's metric pages in nav order; the scenes and the generated dashboards are both built from these.
export const PAGE_SPECS: PageSpec[] = [overviewSpec, runtimeSpec, resourcesSpec, networkSpec, postureSpec];
