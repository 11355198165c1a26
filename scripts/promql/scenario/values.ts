// Shapes of values over the day: gauges with noise and a daily rhythm, counters accumulated from a rate.
import { Random } from './random';
import { DATASET_START } from './timeline';

// Traffic peaks mid-afternoon UTC and bottoms out at night, as in most clusters.
export function dailyLoad(t: number): number {
  const hours = (t - DATASET_START) / 3600;
  return 1 + 0.35 * Math.sin(((hours - 8) / 24) * 2 * Math.PI);
}

export function gauge(times: Float64Array, random: Random, at: (t: number) => number, jitter = 0.05): Float64Array {
  const out = new Float64Array(times.length);
  for (let i = 0; i < times.length; i++) {
    const v = at(times[i]);
    out[i] = Number.isNaN(v) ? NaN : round(Math.max(0, v * (1 + jitter * (random() * 2 - 1))));
  }
  return out;
}

export function constant(
  times: Float64Array,
  value: number,
  present: (t: number) => boolean = () => true
): Float64Array {
  const out = new Float64Array(times.length);
  for (let i = 0; i < times.length; i++) {
    out[i] = present(times[i]) ? value : NaN;
  }
  return out;
}

export interface CounterOptions {
  integer?: boolean; // event counts: whole numbers drawn around the expected count
  start?: number; // value at the first sample (a process that has run for a while)
  resetsAt?: (t: number) => boolean; // the process restarted just before t: the counter starts again from 0
}

// A counter whose rate at time t is perSecond(t); NaN from perSecond means no sample (the target is down).
export function counter(
  times: Float64Array,
  random: Random,
  perSecond: (t: number) => number,
  options: CounterOptions = {}
): Float64Array {
  const out = new Float64Array(times.length);
  let total = options.start ?? 0;
  let wasDown = false;
  for (let i = 0; i < times.length; i++) {
    const t = times[i];
    const rate = perSecond(t);
    if (Number.isNaN(rate)) {
      out[i] = NaN;
      wasDown = true;
      continue;
    }
    if (wasDown || options.resetsAt?.(t)) {
      total = 0;
      wasDown = false;
    }
    const dt = i === 0 ? 0 : t - times[i - 1];
    const expected = rate * dt;
    total += options.integer ? poisson(random, expected) : expected * (1 + 0.1 * (random() * 2 - 1));
    out[i] = options.integer ? total : round(total);
  }
  return out;
}

// Event counts: small expected counts stay mostly zero, as real rare events do.
function poisson(random: Random, mean: number): number {
  if (mean <= 0) {
    return 0;
  }
  if (mean > 30) {
    return Math.max(0, Math.round(mean + Math.sqrt(mean) * (random() + random() + random() - 1.5) * 2));
  }
  const limit = Math.exp(-mean);
  let k = 0;
  let p = random();
  while (p > limit) {
    k++;
    p *= random();
  }
  return k;
}

// Six significant digits keep the file small without changing any ranking.
function round(v: number): number {
  return Number(v.toPrecision(6));
}
