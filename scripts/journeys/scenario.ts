// What the journeys look for, read from the same scenario the stack serves (never typed in twice).
import { ATTACKS, CRITICAL_DETECTION, HOSTILE_RULE, RULES } from '../promql/scenario/attacks';
import { HOSTILE_NAMESPACE, HOSTILE_POD } from '../promql/scenario/cluster';
import { at, DATASET_END } from '../promql/scenario/timeline';

export { ATTACKS, CRITICAL_DETECTION, HOSTILE_NAMESPACE, HOSTILE_POD, HOSTILE_RULE, RULES };

// Time ranges as the app's URLs carry them (ms).
export function range(fromS: number, toS: number): string {
  return `from=${fromS * 1000}&to=${toS * 1000}`;
}

// The shell in nginx and the shadow read after it: nine events of three rules in one pod.
export const AT_SHELL = range(ATTACKS.shellInNginx.window.start - 600, ATTACKS.readShadow.window.end + 600);
export const WHOLE_DAY = range(at(0), DATASET_END);
export const CRITICAL_POD = ATTACKS.curlInContainer.pod; // the cart pod the Critical detection happened in
