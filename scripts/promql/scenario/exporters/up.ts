// Prometheus's own `up` for every scrape target of the scenario: 0 while Falco crash-loops on its node.
import { NODES } from '../cluster';
import { Family, Labels, Series } from '../openmetrics';
import { SCRAPE_INTERVAL, scrapeTimes } from '../timeline';
import { constant } from '../values';
import { APISERVER_INSTANCES, apiserverTarget } from './apiserver';
import { kubeletTarget } from './cadvisor';
import { falcoIsDown, falcoTarget, falcoTimes } from './falco';
import { sidekickPods, sidekickTarget } from './falcosidekick';
import { KSM_TARGET } from './kubeStateMetrics';
import { nodeExporterTarget } from './nodeExporter';
import { gatekeeperTarget, kyvernoTarget, trivyTarget } from './policyEngines';

const times = scrapeTimes(SCRAPE_INTERVAL, 0);

function* upSeries(): Generator<Series> {
  const always = (labels: Labels): Series => ({ labels, times, values: constant(times, 1) });
  for (const node of NODES) {
    yield always(kubeletTarget({ node }));
    yield { ...always(kubeletTarget({ node })), labels: { ...kubeletTarget({ node }), metrics_path: '/metrics' } };
    yield always(nodeExporterTarget(node));
    const falco = falcoTarget(node);
    yield { labels: falco, times: falcoTimes, values: falcoTimes.map((t) => (falcoIsDown(node, t) ? 0 : 1)) };
  }
  for (let replica = 0; replica < sidekickPods.length; replica++) {
    yield always(sidekickTarget(replica));
  }
  for (const instance of APISERVER_INSTANCES) {
    yield always(apiserverTarget(instance));
  }
  yield always(KSM_TARGET);
  yield always({ ...kyvernoTarget, namespace: 'kyverno' });
  yield always(gatekeeperTarget);
  yield always({ ...trivyTarget, namespace: 'trivy-system' });
}

export function upFamily(): Family {
  return { name: 'up', type: 'gauge', help: 'Whether the scrape target answered.', series: upSeries() };
}
