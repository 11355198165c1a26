// Event counts that include a series' first event.
//
// Falco writes a rule's counter only once it matched (userspace/falco/falco_metrics.cpp, `if(count > 0)`), and
// falcosidekick creates a label set with its first event (handlers.go: promStats.Falco.With(promLabels).Inc(), a
// client_golang CounterVec child that starts at 0 and is incremented before any scrape sees it). So every series is
// born at 1 (or more, when several events came before the first scrape) and has no earlier sample: rate() and
// increase() only see the steps between samples in their window and never count that first value.
//
// eventsSum(x, r, by) counts, per series, the events whose sample falls in the window (t-r, t], each sample's step from
// the sample before it (which may lie before the window); a series without a sample before the window counts from 0.
// No extrapolation: the result is a whole number, and adjacent windows add up (a time series per $__interval sums to
// the range's count). With L the last sample in the window, P the last one before it (within PREVIOUS_LOOKBACK, so a
// scrape gap with stale markers is bridged), m/M the window's min/max and R its reset count:
//   no reset:                         L - P        (P <= m: the counter did not drop at the window's start)
//   reset in the window (R > 0):      L + max(M - P, 0)  (exact for a restart whose counter stays below its old peak;
//                                     whole-range counts only, see below)
//   born in the window, or restarted at its start with no earlier peak in it: L
// With Prometheus 3's created-timestamp zero ingestion a born series gets a 0 sample first; the same formula then
// finds P = 0 or no P, and counts the same L.
export const PREVIOUS_LOOKBACK = '1h';

// Time series count the events of each $__interval (adjacent windows: the bars add up to the range's count); tables
// and stats count the whole $__range. Counts are whole events, never a per-second rate.
export const PER_INTERVAL = '$__interval';
export const WHOLE_RANGE = '$__range';
export const EVENTS_UNIT = 'events';

// Events summed by `by` (label names, comma-separated; '' for one total).
//
// A whole-range count (tables, stats, the risk score's hour) also handles a counter restart inside the window, where
// Falco restarted and matched again within it; evaluated once per panel, its per-series work is affordable.
//
// A per-interval count (time series, alerts over minutes) is evaluated at every step of a panel, where comparing two
// per-series vectors (hashing each series' labels at each step) costs far more than the range functions; it does one
// such comparison and subtracts the sums: sum(L) - sum(P where P <= m). A series born in the window has no P and
// adds its whole L; a counter that dropped at the window's start (a restart) has P > m and adds L; a restart inside one
// interval counts only what the counter reached after it.
//
// `at` pins every range selector to one time (PromQL's @ modifier, e.g. 'end()'): the count of the window that ends
// there, the same value at every step of a range query, which Prometheus then evaluates once.
//
// `without` groups by every label but those in `by` (a recording rule keeps rule tags, whatever they are).
export function eventsSum(
  selector: string,
  range: string,
  by: string,
  wholeRange = range === WHOLE_RANGE,
  at?: string,
  without = false
): string {
  const pin = at ? ` @ ${at}` : '';
  const sum = (expr: string) => `sum${by ? ` ${without ? 'without' : 'by'} (${by})` : ''} (${expr})`;
  const over = (fn: string) => `${fn}(${selector}[${range}]${pin})`;
  const last = over('last_over_time');
  const previous = `last_over_time(${selector}[${PREVIOUS_LOOKBACK}]${pin} offset ${range})`;
  const continued = `${previous} <= ${over('min_over_time')}`;
  if (!wholeRange) {
    return `(${sum(last)} - (${sum(continued)} or ${sum(last)} * 0))`;
  }
  const resets = `${over('resets')} > 0`;
  return sum(
    `((${last} - (${continued})) unless (${resets})) or ` +
      `((${last} + clamp_min(${over('max_over_time')} - ${previous}, 0)) and (${resets})) or ` +
      `${last}`
  );
}
