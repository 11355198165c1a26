// Writes metric families as OpenMetrics text with a timestamp on every sample, the input
// `promtool tsdb create-blocks-from openmetrics` backfills.
import { closeSync, openSync, writeSync } from 'node:fs';

export type Labels = Record<string, string>;
export type MetricType = 'counter' | 'gauge' | 'unknown' | 'histogram';

export interface Series {
  labels: Labels;
  times: Float64Array; // unix seconds
  values: Float64Array; // NaN where the series has no sample (target down, pod not yet created)
  suffix?: '_bucket' | '_count' | '_sum'; // histograms only
}

export interface Family {
  name: string; // as exposed: counters end in _total
  type: MetricType;
  help: string;
  series: Iterable<Series>;
}

export interface WriteStats {
  families: number;
  series: number;
  samples: number;
  bytes: number;
}

export function escapeLabelValue(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
}

function formatLabels(labels: Labels): string {
  const names = Object.keys(labels)
    .filter((n) => labels[n] !== '') // Prometheus treats an empty label as absent; so does the exposition
    .sort();
  return names.map((n) => `${n}="${escapeLabelValue(labels[n])}"`).join(',');
}

// The family name in `# TYPE` lines: a counter's family drops the _total its samples carry.
function familyName(f: Family): string {
  return f.type === 'counter' ? f.name.replace(/_total$/, '') : f.name;
}

export interface WriteOptions {
  window?: { start: number; end: number }; // only samples with start <= t < end; series without one are left out
  written?: Set<string>; // collects every series written, to count series over several windows
}

// The first index whose time is at or after t (times are ascending).
function firstAtOrAfter(times: Float64Array, t: number): number {
  let lo = 0;
  let hi = times.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (times[mid] < t) {
      lo = mid + 1;
    } else {
      hi = mid;
    }
  }
  return lo;
}

export function writeOpenMetrics(path: string, families: Iterable<Family>, options: WriteOptions = {}): WriteStats {
  const fd = openSync(path, 'w');
  const stats: WriteStats = { families: 0, series: 0, samples: 0, bytes: 0 };
  const { window, written } = options;
  let buffer = '';
  const seen = new Set<string>();
  const flush = () => {
    stats.bytes += writeSync(fd, buffer);
    buffer = '';
  };
  try {
    for (const family of families) {
      stats.families++;
      buffer += `# HELP ${familyName(family)} ${family.help}\n# TYPE ${familyName(family)} ${family.type}\n`;
      for (const s of family.series) {
        const prefix = `${family.name}${s.suffix ?? ''}{${formatLabels(s.labels)}} `;
        // Two series with one label set would interleave their samples: promtool rejects that as out of order.
        if (seen.has(prefix)) {
          throw new Error(`series generated twice: ${prefix}`);
        }
        seen.add(prefix);
        const before = stats.samples;
        const from = window ? firstAtOrAfter(s.times, window.start) : 0;
        const to = window ? firstAtOrAfter(s.times, window.end) : s.times.length;
        for (let i = from; i < to; i++) {
          const v = s.values[i];
          if (Number.isNaN(v)) {
            continue;
          }
          buffer += prefix + v + ' ' + s.times[i] + '\n';
          stats.samples++;
        }
        if (stats.samples > before) {
          stats.series++;
          written?.add(prefix);
        }
        if (buffer.length > 1 << 22) {
          flush();
        }
      }
    }
    buffer += '# EOF\n';
    flush();
  } finally {
    closeSync(fd);
  }
  return stats;
}
