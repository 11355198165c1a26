// falcosidekick (>= 2.30) /metrics: one counter per rule and workload, the only Falco metric with namespace and pod.
// Its priority number runs the other way from Falco's (1 = debug ... 8 = emergency); priority_raw carries the name.
import { FALCO_MATCHES } from '../attacks';
import { NODES, PODS } from '../cluster';
import { Family, Labels, Series } from '../openmetrics';
import { seededRandom } from '../random';
import { inside, SCRAPE_INTERVAL, scrapeTimes } from '../timeline';
import { counter } from '../values';
import { addExactMatches, falcoIsDown } from './falco';

const times = scrapeTimes(SCRAPE_INTERVAL, 17);
const PRIORITY_NAMES = ['emergency', 'alert', 'critical', 'error', 'warning', 'notice', 'informational', 'debug'];
export const sidekickPods = PODS.filter((p) => p.ownerName.startsWith('falco-falcosidekick'));

export function sidekickTarget(replica: number): Labels {
  const pod = sidekickPods[replica];
  return {
    container: 'falcosidekick',
    endpoint: 'http',
    instance: `${pod.ip}:2801`,
    job: 'falco-falcosidekick',
    namespace: 'falco',
    pod: pod.name,
    service: 'falco-falcosidekick',
  };
}

function* eventSeries(): Generator<Series> {
  for (const [index, m] of FALCO_MATCHES.entries()) {
    const node = NODES.find((n) => n.name === m.node)!;
    // The service spreads Falco's posts over both replicas: each replica counts its share.
    for (let replica = 0; replica < sidekickPods.length; replica++) {
      const random = seededRandom(`sidekick/${index}/${replica}`);
      const perSecond = (t: number) =>
        falcoIsDown(node, t) ? 0 : inside(m.window, t) ? m.perMinute / 60 / sidekickPods.length : 0;
      const values = counter(times, random, perSecond, { integer: true });
      if (replica === 0) {
        addExactMatches(times, values, [m], node); // one post, so one replica counts it
      }
      const labels: Labels = {
        ...sidekickTarget(replica),
        hostname: m.node,
        k8s_ns_name: m.pod?.namespace ?? '',
        k8s_pod_name: m.pod?.name ?? '',
        priority: String(8 - m.rule.priority),
        priority_raw: PRIORITY_NAMES[m.rule.priority],
        rule: m.rule.rule,
        source: m.rule.source,
      };
      // Like Falco, falcosidekick creates a label set on its first event (handlers.go: promStats.Falco.With(...).Inc()).
      const born = values.map((v) => (v === 0 ? NaN : v));
      if (born.some((v) => !Number.isNaN(v))) {
        yield { labels, times, values: born };
      }
    }
  }
}

function* outputSeries(): Generator<Series> {
  for (let replica = 0; replica < sidekickPods.length; replica++) {
    for (const [destination, status] of [
      ['webhook', 'ok'],
      ['loki', 'ok'],
      ['loki', 'error'],
    ]) {
      const random = seededRandom(`sidekick-out/${replica}/${destination}/${status}`);
      yield {
        labels: { ...sidekickTarget(replica), destination, status },
        times,
        values: counter(times, random, () => (status === 'ok' ? 0.02 : 0.0005), { integer: true, start: 120 }),
      };
    }
  }
}

// Every POST from Falco, as falcosidekick counts its inputs: born with the replica's first event, like every
// client_golang CounterVec child (handlers.go: promStats.Inputs.With(...).Inc()).
function* inputSeries(): Generator<Series> {
  for (let replica = 0; replica < sidekickPods.length; replica++) {
    const random = seededRandom(`sidekick-in/${replica}`);
    const perSecond = (t: number) =>
      FALCO_MATCHES.filter((m) => inside(m.window, t)).reduce((sum, m) => sum + (m.exactly ? 0 : m.perMinute / 60), 0) /
      sidekickPods.length;
    const values = counter(times, random, perSecond, { integer: true });
    yield {
      labels: { ...sidekickTarget(replica), source: 'requests', status: 'accepted' },
      times,
      values: values.map((v) => (v === 0 ? NaN : v)),
    };
  }
}

// promhttp.Handler()'s own scrape counter (client_golang promhttp/http.go InstrumentMetricHandler), created at start-up
// with codes 200, 500 and 503: the series that shows falcosidekick is there before any event.
function* scrapeCounterSeries(): Generator<Series> {
  for (let replica = 0; replica < sidekickPods.length; replica++) {
    for (const code of ['200', '500', '503']) {
      yield {
        labels: { ...sidekickTarget(replica), code },
        times,
        values: times.map((_, i) => (code === '200' ? i + 1 : 0)),
      };
    }
  }
}

export function falcosidekickFamilies(): Family[] {
  return [
    {
      name: 'promhttp_metric_handler_requests_total',
      type: 'counter',
      help: 'Total number of scrapes by HTTP status code.',
      series: scrapeCounterSeries(),
    },
    {
      name: 'falcosecurity_falcosidekick_inputs_total',
      type: 'counter',
      help: 'Requests received by falcosidekick',
      series: inputSeries(),
    },
    {
      name: 'falcosecurity_falcosidekick_falco_events_total',
      type: 'counter',
      help: 'Events received from Falco',
      series: eventSeries(),
    },
    {
      name: 'falcosecurity_falcosidekick_outputs_total',
      type: 'counter',
      help: 'Events sent to outputs',
      series: outputSeries(),
    },
  ];
}
