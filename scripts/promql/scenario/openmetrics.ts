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

export function writeOpenMetrics(path: string, families: Iterable<Family>): WriteStats {
  const fd = openSync(path, 'w');
  const stats: WriteStats = { families: 0, series: 0, samples: 0, bytes: 0 };
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
        for (let i = 0; i < s.times.length; i++) {
          const v = s.values[i];
          if (Number.isNaN(v)) {
            continue;
          }
          buffer += prefix + v + ' ' + s.times[i] + '\n';
          stats.samples++;
        }
        stats.series += stats.samples > before ? 1 : 0;
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
