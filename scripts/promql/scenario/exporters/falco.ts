// Falco's native /metrics (Falco >= 0.39, webserver.prometheus_metrics_enabled) as the chart's ServiceMonitor
// scrapes it: rule match counters by rule_name with a numeric priority and one tag_<tag>="true" label per rule tag,
// plus the health metrics. No workload labels: namespace and pod are the Falco pod's own.
import { FALCO_MATCHES, FalcoRuleInfo, INCIDENTS } from '../attacks';
import { Node, NODES, PODS } from '../cluster';
import { Family, Labels, Series } from '../openmetrics';
import { seededRandom } from '../random';
import { FALCO_SCRAPE_INTERVAL, inside, scrapeTimes } from '../timeline';
import { constant, counter, gauge } from '../values';

export const FALCO_VERSION = '0.44.1';
const times = scrapeTimes(FALCO_SCRAPE_INTERVAL, 4);
const CUSTOM_RULES_FILE = 'containersec-rules.yaml';

export function falcoPod(node: Node) {
  const pod = PODS.find((p) => p.namespace === 'falco' && p.ownerName === 'falco' && p.node === node);
  if (!pod) {
    throw new Error(`no Falco pod on ${node.name}`);
  }
  return pod;
}

export function falcoTarget(node: Node): Labels {
  const pod = falcoPod(node);
  return {
    container: 'falco',
    endpoint: 'metrics',
    instance: `${pod.ip}:8765`,
    job: 'falco-metrics',
    namespace: 'falco',
    pod: pod.name,
    service: 'falco-metrics',
  };
}

export const falcoIsDown = (node: Node, t: number) =>
  node.name === INCIDENTS.falcoDown.node && inside(INCIDENTS.falcoDown, t);
const whileUp = (node: Node, f: (t: number) => number) => (t: number) => (falcoIsDown(node, t) ? NaN : f(t));

// Falco writes tags into label names; characters Prometheus does not allow in a name become underscores.
export function tagLabels(rule: FalcoRuleInfo): Labels {
  return Object.fromEntries(rule.tags.map((tag) => [`tag_${tag.replace(/[^a-zA-Z0-9_]/g, '_')}`, 'true']));
}

// Falco only exposes a rule's counter once it has matched, and starts from zero after a restart.
function onlyAfterFirstMatch(values: Float64Array): Float64Array {
  for (let i = 0; i < values.length; i++) {
    if (values[i] === 0) {
      values[i] = NaN;
    }
  }
  return values;
}

// Matches that happen an exact number of times (at their window's start) count from then on, until Falco restarts
// (its counters start again from zero; `counter` marks that by a drop to 0 after a gap).
export function addExactMatches(
  times: Float64Array,
  values: Float64Array,
  matches: typeof FALCO_MATCHES,
  node: Node
): void {
  for (const m of matches) {
    if (!m.exactly) {
      continue;
    }
    let restarted = false;
    for (let i = 0; i < values.length; i++) {
      if (i > 0 && Number.isNaN(values[i - 1]) && !Number.isNaN(values[i]) && times[i] > m.window.start) {
        restarted = true;
      }
      if (times[i] >= m.window.start && !Number.isNaN(values[i]) && !restarted && !falcoIsDown(node, m.window.start)) {
        values[i] += m.exactly;
      }
    }
  }
}

function* ruleMatchSeries(): Generator<Series> {
  const byRuleAndNode = new Map<string, { rule: FalcoRuleInfo; node: Node; matches: typeof FALCO_MATCHES }>();
  for (const m of FALCO_MATCHES) {
    const node = NODES.find((n) => n.name === m.node)!;
    const key = `${m.rule.rule}/${node.name}`;
    const entry = byRuleAndNode.get(key) ?? { rule: m.rule, node, matches: [] };
    entry.matches.push(m);
    byRuleAndNode.set(key, entry);
  }
  for (const [key, { rule, node, matches }] of byRuleAndNode) {
    const random = seededRandom(`falco-rule/${key}`);
    const perSecond = whileUp(node, (t) =>
      matches.reduce((sum, m) => sum + (inside(m.window, t) ? m.perMinute / 60 : 0), 0)
    );
    const labels: Labels = {
      ...falcoTarget(node),
      priority: String(rule.priority),
      rule_name: rule.rule,
      source: rule.source,
      ...tagLabels(rule),
    };
    const values = counter(times, random, perSecond, { integer: true });
    addExactMatches(times, values, matches, node);
    yield { labels, times, values: onlyAfterFirstMatch(values) };
  }
}

function* perNode(make: (node: Node) => Series | Series[]): Generator<Series> {
  for (const node of NODES) {
    const made = make(node);
    yield* Array.isArray(made) ? made : [made];
  }
}

const info = (labels: Labels) => (node: Node) => ({
  labels: { ...falcoTarget(node), ...labels },
  times,
  values: constant(times, 1, (t) => !falcoIsDown(node, t)),
});

function rulesFileSeries(node: Node): Series[] {
  const up = (t: number) => !falcoIsDown(node, t);
  const change = INCIDENTS.rulesFileChange.start;
  return [
    {
      labels: {
        ...falcoTarget(node),
        file_name: 'falco_rules.yaml',
        sha256: 'f3c6a0e1b9e2d7c48e4b1a8d5a0f6c2b9e7d3a1c5b8f0e2d4a6c8b0d2f4e6a8c',
      },
      times,
      values: constant(times, 1, up),
    },
    {
      labels: {
        ...falcoTarget(node),
        file_name: CUSTOM_RULES_FILE,
        sha256: '1d9a4e7c2b5f8a0d3c6e9b2f5a8d1c4e7b0a3d6f9c2e5b8a1d4c7f0a3e6b9d2c',
      },
      times,
      values: constant(times, 1, (t) => up(t) && t < change),
    },
    {
      labels: {
        ...falcoTarget(node),
        file_name: CUSTOM_RULES_FILE,
        sha256: '7b2e5a8d1c4f7a0e3b6d9c2f5e8a1b4d7c0f3a6e9b2d5c8f1a4e7b0d3c6f9a2e',
      },
      times,
      values: constant(times, 1, (t) => up(t) && t >= change),
    },
  ];
}

const kernelDropsPerSecond = (node: Node, t: number) =>
  node.name === INCIDENTS.kernelDrops.node && inside(INCIDENTS.kernelDrops, t) ? 1800 : 0;

// How the kernel drops split over the ring buffer's syscall families during the incident (a fork storm).
const BUFFER_DROP_SHARES: Array<[string, string, number]> = [
  ['enter', 'clone_fork', 0.6],
  ['exit', 'clone_fork', 0.3],
  ['enter', 'execve', 0.1],
];

export function falcoFamilies(): Family[] {
  const counterPerNode = (name: string, rate: (node: Node, t: number) => number, integer = true) =>
    perNode((node) => ({
      labels: falcoTarget(node),
      times,
      values: counter(
        times,
        seededRandom(`${name}/${node.name}`),
        whileUp(node, (t) => rate(node, t)),
        { integer }
      ),
    }));
  return [
    {
      name: 'falcosecurity_falco_rules_matches_total',
      type: 'counter',
      help: 'https://falco.org/docs/metrics/',
      series: ruleMatchSeries(),
    },
    {
      name: 'falcosecurity_falco_version_info',
      type: 'gauge',
      help: 'https://falco.org/docs/metrics/',
      series: perNode(info({ version: FALCO_VERSION })),
    },
    {
      name: 'falcosecurity_evt_hostname_info',
      type: 'gauge',
      help: 'https://falco.org/docs/metrics/',
      series: perNode((node) => info({ hostname: node.name })(node)),
    },
    {
      name: 'falcosecurity_falco_kernel_release_info',
      type: 'gauge',
      help: 'https://falco.org/docs/metrics/',
      series: perNode(info({ kernel_release: '6.1.119-129.201.amzn2023.x86_64' })),
    },
    {
      name: 'falcosecurity_scap_engine_name_info',
      type: 'gauge',
      help: 'https://falco.org/docs/metrics/',
      series: perNode(info({ engine_name: 'modern_bpf' })),
    },
    {
      name: 'falcosecurity_falco_evt_source_info',
      type: 'gauge',
      help: 'https://falco.org/docs/metrics/',
      series: perNode(info({ evt_source: 'syscall' })),
    },
    {
      name: 'falcosecurity_falco_sha256_rules_files_info',
      type: 'gauge',
      help: 'https://falco.org/docs/metrics/',
      series: perNode(rulesFileSeries),
    },
    {
      name: 'falcosecurity_falco_sha256_config_files_info',
      type: 'gauge',
      help: 'https://falco.org/docs/metrics/',
      series: perNode(
        info({ file_name: 'falco.yaml', sha256: '9e4c1a7d0b3f6e9a2c5d8b1e4f7a0c3d6b9e2a5f8c1d4b7e0a3f6c9d2b5e8a1f' })
      ),
    },
    {
      name: 'falcosecurity_scap_n_evts_total',
      type: 'counter',
      help: 'https://falco.org/docs/metrics/',
      series: counterPerNode('n_evts', () => 42000),
    },
    {
      name: 'falcosecurity_scap_n_drops_total',
      type: 'counter',
      help: 'https://falco.org/docs/metrics/',
      series: counterPerNode('n_drops', kernelDropsPerSecond),
    },
    {
      // One counter per syscall family and direction (dir, drop), as Falco >= 0.39 exports the buffer drops.
      name: 'falcosecurity_scap_n_drops_buffer_total',
      type: 'counter',
      help: 'https://falco.org/docs/metrics/',
      series: perNode((node) =>
        BUFFER_DROP_SHARES.map(([dir, drop, share]) => ({
          labels: { ...falcoTarget(node), dir, drop },
          times,
          values: counter(
            times,
            seededRandom(`n_drops_buffer/${dir}/${drop}/${node.name}`),
            whileUp(node, (t) => kernelDropsPerSecond(node, t) * share),
            { integer: true }
          ),
        }))
      ),
    },
    {
      name: 'falcosecurity_scap_n_drops_scratch_map_total',
      type: 'counter',
      help: 'https://falco.org/docs/metrics/',
      series: counterPerNode('n_drops_scratch_map', () => 0),
    },
    {
      name: 'falcosecurity_falco_outputs_queue_num_drops_total',
      type: 'counter',
      help: 'https://falco.org/docs/metrics/',
      series: counterPerNode('queue_drops', (node, t) => kernelDropsPerSecond(node, t) / 200),
    },
    {
      name: 'falcosecurity_falco_duration_seconds_total',
      type: 'counter',
      help: 'https://falco.org/docs/metrics/',
      series: counterPerNode('duration', () => 1, false),
    },
    {
      name: 'falcosecurity_falco_cpu_usage_ratio',
      type: 'gauge',
      help: 'https://falco.org/docs/metrics/',
      series: perNode((node) => ({
        labels: falcoTarget(node),
        times,
        values: gauge(
          times,
          seededRandom(`cpu/${node.name}`),
          whileUp(node, () => 0.02)
        ),
      })),
    },
    {
      name: 'falcosecurity_falco_memory_rss_bytes',
      type: 'gauge',
      help: 'https://falco.org/docs/metrics/',
      series: perNode((node) => ({
        labels: falcoTarget(node),
        times,
        values: gauge(
          times,
          seededRandom(`rss/${node.name}`),
          whileUp(node, () => 110e6),
          0.02
        ),
      })),
    },
  ];
}

export const falcoTimes = times;
