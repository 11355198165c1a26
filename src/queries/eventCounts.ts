// Event counts that include a series' first event.
//
// Falco writes a rule's counter only once it matched (userspace/falco/falco_metrics.cpp, `if(count > 0)`), and
// falcosidekick creates a label set with its first event (handlers.go: promStats.Falco.With(promLabels).Inc(), a
// client_golang CounterVec child that starts at 0 and is incremented before any scrape sees it). So every series is
// born at 1 (or more, when several events came before the first scrape) and has no earlier sample: rate() and
// increase() only see the steps between samples in their window and never count that first value.
//
// eventsIn(x, r) counts, per series, the events whose sample falls in the window (t-r, t], each sample's step from
// the sample before it (which may lie before the window); a series without a sample before the window counts from 0.
// No extrapolation: the result is a whole number, and adjacent windows add up (a time series per $__interval sums to
// the range's count). With L the last sample in the window, P the last one before it (within PREVIOUS_LOOKBACK, so a
// scrape gap with stale markers is bridged), m/M the window's min/max and R its reset count:
//   no reset:                         L - P        (P <= m: the counter did not drop at the window's start)
//   reset in the window (R > 0):      L + max(M - P, 0)  (exact for a restart whose counter stays below its old peak)
//   born in the window, or restarted at its start with no earlier peak in it: L
// With Prometheus 3's created-timestamp zero ingestion a born series gets a 0 sample first; the same formula then
// finds P = 0 or no P, and counts the same L.
export const PREVIOUS_LOOKBACK = '1h';

// Time series count the events of each $__interval (adjacent windows: the bars add up to the range's count); tables
// and stats count the whole $__range. Counts are whole events, never a per-second rate.
export const PER_INTERVAL = '$__interval';
export const WHOLE_RANGE = '$__range';
export const EVENTS_UNIT = 'events';

export function eventsIn(selector: string, range: string): string {
  const over = (fn: string) => `${fn}(${selector}[${range}])`;
  const last = over('last_over_time');
  const previous = `last_over_time(${selector}[${PREVIOUS_LOOKBACK}] offset ${range})`;
  const resets = `${over('resets')} > 0`;
  return (
    `(((${last} - (${previous} <= ${over('min_over_time')})) unless (${resets})) or ` +
    `((${last} + clamp_min(${over('max_over_time')} - ${previous}, 0)) and (${resets})) or ` +
    `${last})`
  );
}
