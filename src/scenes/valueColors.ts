import type { Visualization } from '../queries/types';
import type { PanelSpec, ThresholdStep } from './spec';

// Grafana colours a single value green below 80 and red from 80 unless told otherwise: 4 days of certificate left
// showed red, 42 critical vulnerabilities green. A value with a meaning gets its spec's thresholds; others one colour.

const SINGLE_VALUES: Visualization[] = ['stat', 'bargauge', 'gauge'];

export const NEUTRAL_COLOR = { mode: 'fixed', fixedColor: 'blue' };

// For counts where any is bad: nodes without Falco, critical events.
export const BAD_FROM_ONE: ThresholdStep[] = [
  { value: null, color: 'green' },
  { value: 1, color: 'red' },
];

export interface ValueColors {
  color?: { mode: string; fixedColor?: string };
  thresholds?: { mode: 'absolute'; steps: ThresholdStep[] };
}

// The colour settings of a panel's values (JSON form: the base step's value is null); nothing for time series/tables.
export function valueColors(spec: PanelSpec, visualization: Visualization): ValueColors {
  if (!SINGLE_VALUES.includes(visualization)) {
    return {};
  }
  if (spec.thresholds) {
    return { color: { mode: 'thresholds' }, thresholds: { mode: 'absolute', steps: spec.thresholds } };
  }
  return { color: NEUTRAL_COLOR };
}
