// kube-apiserver /metrics (job="apiserver"): requests by verb, resource, subresource and code (no user label), the
// authentication and authorization counters, and the client certificate expiry histogram.
import { ATTACKS, INCIDENTS } from '../attacks';
import { Family, Labels, Series } from '../openmetrics';
import { seededRandom } from '../random';
import { inside, SCRAPE_INTERVAL, scrapeTimes } from '../timeline';
import { counter, dailyLoad } from '../values';

const times = scrapeTimes(SCRAPE_INTERVAL, 2);
export const APISERVER_INSTANCES = ['10.0.0.10:443', '10.0.0.11:443'];
export const apiserverTarget = (instance: string): Labels => ({
  endpoint: 'https',
  instance,
  job: 'apiserver',
  namespace: 'default',
  service: 'kubernetes',
});

interface Route {
  group: string;
  version: string;
  resource: string;
  subresource?: string;
  scope: 'cluster' | 'namespace' | 'resource';
  verb: string;
  code: string;
  perSecond: number;
  extra?: (t: number) => number; // what the day's incidents add
}

const r = (
  group: string,
  version: string,
  resource: string,
  scope: Route['scope'],
  verb: string,
  code: string,
  perSecond: number,
  extra?: Route['extra'],
  subresource?: string
): Route => ({ group, version, resource, subresource, scope, verb, code, perSecond, extra });
const during = (w: { start: number; end: number }, perSecond: number) => (t: number) => (inside(w, t) ? perSecond : 0);
const denials = INCIDENTS.apiserverDenials;

const ROUTES: Route[] = [
  ...[
    'pods',
    'services',
    'endpoints',
    'configmaps',
    'secrets',
    'serviceaccounts',
    'events',
    'persistentvolumeclaims',
  ].flatMap((resource) => [
    r('', 'v1', resource, 'namespace', 'GET', '200', resource === 'configmaps' || resource === 'secrets' ? 2 : 1),
    r('', 'v1', resource, 'namespace', 'GET', '404', 0.05),
    r('', 'v1', resource, 'cluster', 'LIST', '200', 0.2, resource === 'secrets' ? during(denials, 0.5) : undefined),
    r('', 'v1', resource, 'cluster', 'WATCH', '200', 0.05),
    r('', 'v1', resource, 'namespace', 'CREATE', '201', resource === 'events' ? 3 : 0.05),
    r('', 'v1', resource, 'resource', 'UPDATE', '200', 0.1),
    r('', 'v1', resource, 'resource', 'PATCH', '200', 0.2),
    r('', 'v1', resource, 'resource', 'DELETE', '200', 0.02),
    r(
      '',
      'v1',
      resource,
      'cluster',
      'LIST',
      '403',
      0.001,
      resource === 'secrets' || resource === 'pods' ? during(denials, 1.5) : undefined
    ),
    r('', 'v1', resource, 'namespace', 'GET', '403', 0.001, resource === 'secrets' ? during(denials, 0.8) : undefined),
  ]),
  ...['nodes', 'namespaces', 'persistentvolumes'].flatMap((resource) => [
    r('', 'v1', resource, 'resource', 'GET', '200', 0.5),
    r('', 'v1', resource, 'cluster', 'LIST', '200', 0.1),
    r('', 'v1', resource, 'cluster', 'WATCH', '200', 0.02),
  ]),
  r('', 'v1', 'nodes', 'resource', 'PATCH', '200', 0.3, undefined, 'status'),
  r('', 'v1', 'pods', 'resource', 'PATCH', '200', 0.4, undefined, 'status'),
  ...['deployments', 'replicasets', 'statefulsets', 'daemonsets'].flatMap((resource) => [
    r('apps', 'v1', resource, 'resource', 'GET', '200', 0.3),
    r('apps', 'v1', resource, 'cluster', 'LIST', '200', 0.05),
    r('apps', 'v1', resource, 'cluster', 'WATCH', '200', 0.02),
    r('apps', 'v1', resource, 'resource', 'UPDATE', '200', 0.05),
    r('apps', 'v1', resource, 'resource', 'PUT', '200', 0.05, undefined, 'status'),
  ]),
  ...['leases'].flatMap((resource) => [
    r('coordination.k8s.io', 'v1', resource, 'resource', 'GET', '200', 2),
    r('coordination.k8s.io', 'v1', resource, 'resource', 'UPDATE', '200', 2),
    r('coordination.k8s.io', 'v1', resource, 'resource', 'UPDATE', '409', 0.01),
  ]),
  ...['clusterroles', 'clusterrolebindings', 'roles', 'rolebindings'].flatMap((resource) => [
    r('rbac.authorization.k8s.io', 'v1', resource, 'cluster', 'LIST', '200', 0.01),
    r('rbac.authorization.k8s.io', 'v1', resource, 'cluster', 'WATCH', '200', 0.01),
    r('rbac.authorization.k8s.io', 'v1', resource, 'cluster', 'LIST', '403', 0, during(denials, 0.3)),
  ]),
  r('authorization.k8s.io', 'v1', 'selfsubjectaccessreviews', 'cluster', 'CREATE', '201', 0.01, during(denials, 0.2)),
  r('authentication.k8s.io', 'v1', 'tokenreviews', 'cluster', 'CREATE', '201', 0.2),
  r('', 'v1', 'serviceaccounts', 'resource', 'CREATE', '201', 0.1, undefined, 'token'),
  r('', 'v1', 'pods', 'resource', 'GET', '200', 0.05, undefined, 'log'),
  // kubectl exec, attach and port-forward are CONNECT requests that upgrade the connection (101).
  r('', 'v1', 'pods', 'resource', 'CONNECT', '101', 0.0005, during(ATTACKS.shellInNginx.window, 0.02), 'exec'),
  r('', 'v1', 'pods', 'resource', 'CONNECT', '101', 0, during(ATTACKS.privilegedPod.window, 0.01), 'attach'),
  r('', 'v1', 'pods', 'resource', 'CONNECT', '101', 0.0002, undefined, 'portforward'),
  r('', 'v1', 'pods', 'resource', 'CONNECT', '403', 0, during(denials, 0.1), 'exec'),
  // Requests without valid credentials fail before routing: no resource.
  r('', '', '', 'cluster', 'GET', '401', 0.002, during(denials, 2)),
  r('', '', '', 'cluster', 'LIST', '401', 0.001, during(denials, 1)),
];

function* requestSeries(): Generator<Series> {
  for (const instance of APISERVER_INSTANCES) {
    for (const route of ROUTES) {
      const random = seededRandom(
        `apiserver/${instance}/${route.verb}/${route.group}/${route.resource}/${route.subresource}/${route.code}`
      );
      const labels: Labels = {
        ...apiserverTarget(instance),
        code: route.code,
        component: 'apiserver',
        dry_run: '',
        group: route.group,
        resource: route.resource,
        scope: route.scope,
        subresource: route.subresource ?? '',
        verb: route.verb,
        version: route.version,
      };
      const perSecond = (t: number) =>
        (route.perSecond * dailyLoad(t) + (route.extra?.(t) ?? 0)) / APISERVER_INSTANCES.length;
      const values = counter(times, random, perSecond, { integer: true, start: Math.round(route.perSecond * 3e5) });
      if (values[values.length - 1] > 0) {
        yield { labels, times, values };
      }
    }
  }
}

const simpleCounter = (labels: Labels, name: string, perSecond: (t: number) => number) =>
  APISERVER_INSTANCES.map((instance) => ({
    labels: { ...apiserverTarget(instance), ...labels },
    times,
    values: counter(
      times,
      seededRandom(`${name}/${instance}/${JSON.stringify(labels)}`),
      (t) => perSecond(t) / APISERVER_INSTANCES.length,
      { integer: true, start: 1000 }
    ),
  }));

// Client certificates presented to the API server, bucketed by the time they have left (seconds).
const EXPIRY_BUCKETS = [
  0, 1800, 3600, 7200, 21600, 43200, 86400, 172800, 345600, 604800, 2592000, 7776000, 15552000, 31104000,
];
const EXPIRY_SHARE_WITHIN = (le: number) => (le >= 2592000 ? 1 : le >= 604800 ? 0.08 : 0); // a node cert expires within a week

function* expirySeries(): Generator<Series> {
  for (const instance of APISERVER_INSTANCES) {
    const rate = 1.2 / APISERVER_INSTANCES.length;
    const total = counter(times, seededRandom(`expiry/${instance}`), () => rate, { integer: true, start: 5e5 });
    for (const le of [...EXPIRY_BUCKETS, Infinity]) {
      const share = le === Infinity ? 1 : EXPIRY_SHARE_WITHIN(le);
      yield {
        labels: { ...apiserverTarget(instance), le: le === Infinity ? '+Inf' : String(le) },
        times,
        values: total.map((v) => Math.floor(v * share)),
        suffix: '_bucket',
      };
    }
    yield { labels: apiserverTarget(instance), times, values: total, suffix: '_count' };
    yield { labels: apiserverTarget(instance), times, values: total.map((v) => v * 2.6e7), suffix: '_sum' };
  }
}

// Request latency per route: the apiserver's largest family in any real Prometheus, and what makes queries over
// apiserver metrics slow. Buckets as in Kubernetes 1.31 up to 10 s.
// Kept to the resources dashboards look at, so the dataset stays small enough to backfill in CI.
const LATENCY_RESOURCES = [
  'pods',
  'secrets',
  'configmaps',
  'services',
  'endpoints',
  'events',
  'nodes',
  'leases',
  'deployments',
];
const LATENCY_BUCKETS = [0.005, 0.025, 0.05, 0.1, 0.2, 0.4, 0.6, 0.8, 1, 1.25, 1.5, 2, 3, 4, 5, 6, 8, 10];

function* latencySeries(): Generator<Series> {
  for (const instance of APISERVER_INSTANCES) {
    for (const route of ROUTES.filter(
      (x) => x.code.startsWith('2') && x.verb !== 'WATCH' && LATENCY_RESOURCES.includes(x.resource)
    )) {
      const key = `${instance}/${route.verb}/${route.group}/${route.resource}/${route.subresource}`;
      const random = seededRandom(`latency/${key}`);
      const labels: Labels = {
        ...apiserverTarget(instance),
        component: 'apiserver',
        dry_run: '',
        group: route.group,
        resource: route.resource,
        scope: route.scope,
        subresource: route.subresource ?? '',
        verb: route.verb,
        version: route.version,
      };
      const total = counter(times, random, (t) => (route.perSecond * dailyLoad(t)) / APISERVER_INSTANCES.length, {
        integer: true,
        start: Math.round(route.perSecond * 3e5),
      });
      const typical = route.verb === 'LIST' ? 0.15 : 0.02;
      for (const le of [...LATENCY_BUCKETS, Infinity]) {
        const share = le === Infinity ? 1 : 1 - Math.exp(-le / typical);
        yield {
          labels: { ...labels, le: le === Infinity ? '+Inf' : String(le) },
          times,
          values: total.map((v) => Math.floor(v * share)),
          suffix: '_bucket',
        };
      }
      yield { labels, times, values: total, suffix: '_count' };
      yield { labels, times, values: total.map((v) => Number((v * typical).toFixed(3))), suffix: '_sum' };
    }
  }
}

export function apiserverFamilies(): Family[] {
  return [
    {
      name: 'apiserver_request_duration_seconds',
      type: 'histogram',
      help: 'Response latency distribution in seconds for each verb, dry run value, group, version, resource, subresource, scope and component.',
      series: latencySeries(),
    },
    {
      name: 'apiserver_request_total',
      type: 'counter',
      help: 'Counter of apiserver requests broken out for each verb, dry run value, group, version, resource, scope, component, and HTTP response code.',
      series: requestSeries(),
    },
    {
      name: 'authentication_attempts',
      type: 'counter',
      help: 'Counter of authenticated attempts.',
      series: [
        ...simpleCounter({ result: 'success' }, 'authn', (t) => 40 * dailyLoad(t)),
        ...simpleCounter({ result: 'failure' }, 'authn', (t) => 0.003 + (inside(denials, t) ? 3 : 0)),
        ...simpleCounter({ result: 'error' }, 'authn', () => 0.0005),
      ],
    },
    // Under RBAC a refused request is never a Deny: RBAC answers DecisionNoOpinion when no rule allows
    // (plugin/pkg/auth/authorizer/rbac/rbac.go), so the per-authorizer decisions counter has no "denied" series and
    // the filter's authorization_attempts_total counts the 403s as result="no-opinion"
    // (k8s.io/apiserver/pkg/endpoints/filters/metrics.go, recordAuthorizationMetrics).
    {
      name: 'apiserver_authorization_decisions_total',
      type: 'counter',
      help: 'Total number of terminal decisions made by an authorizer split by authorizer type, name, and decision.',
      series: simpleCounter({ decision: 'allowed', name: 'rbac', type: 'RBAC' }, 'authz', (t) => 38 * dailyLoad(t)),
    },
    {
      name: 'authorization_attempts_total',
      type: 'counter',
      help: "Counter of authorization attempts broken down by result. It can be either 'allowed', 'denied', 'no-opinion' or 'error'.",
      series: [
        ...simpleCounter({ result: 'allowed' }, 'authz-attempts', (t) => 38 * dailyLoad(t)),
        ...simpleCounter({ result: 'no-opinion' }, 'authz-attempts', (t) => 0.004 + (inside(denials, t) ? 2.9 : 0)),
      ],
    },
    {
      name: 'apiserver_client_certificate_expiration_seconds',
      type: 'histogram',
      help: 'Distribution of the remaining lifetime on the certificate used to authenticate a request.',
      series: expirySeries(),
    },
  ];
}
