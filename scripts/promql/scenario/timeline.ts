// The scenario's clock: 24 hours of scrapes ending at a fixed instant, so every run produces the same blocks.

export const DATASET_START = Date.UTC(2025, 5, 2, 0, 0, 0) / 1000; // Monday 2 June 2025, 00:00 UTC, in seconds
export const DATASET_HOURS = 24;
export const DATASET_END = DATASET_START + DATASET_HOURS * 3600;
export const SCRAPE_INTERVAL = 30; // kube-prometheus-stack's default
export const FALCO_SCRAPE_INTERVAL = 15; // the Falco chart's ServiceMonitor default

export interface TimeWindow {
  start: number; // unix seconds, inclusive
  end: number; // unix seconds, exclusive
}

export function at(hours: number, minutes = 0): number {
  return DATASET_START + hours * 3600 + minutes * 60;
}

export function window(fromHours: number, fromMinutes: number, minutes: number): TimeWindow {
  const start = at(fromHours, fromMinutes);
  return { start, end: start + minutes * 60 };
}

export function inside(w: TimeWindow, t: number): boolean {
  return t >= w.start && t < w.end;
}

// Scrape timestamps for one interval, each jittered the same way so a target's scrapes stay evenly spaced.
export function scrapeTimes(interval: number, offset: number): Float64Array {
  const count = Math.floor((DATASET_END - DATASET_START) / interval);
  const times = new Float64Array(count);
  for (let i = 0; i < count; i++) {
    times[i] = DATASET_START + offset + i * interval;
  }
  return times;
}
