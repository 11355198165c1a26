import { fixedMatcher, labelMatcher, selector } from '../labels';
import { rangeOf } from '../params';
import type { QueryEntry, QueryParams } from '../types';

// Kubernetes API server: who is knocking and what they reach. apiserver_request_total has no user or namespace label.

const PARAMS: QueryEntry['params'] = ['cluster', 'interval'];

const rateOf = (metric: string, p: QueryParams, matchers: string[]) =>
  `rate(${selector(metric, [labelMatcher('cluster', p.cluster), ...matchers])}[${rangeOf(p)}])`;

export const apiServerQueries: QueryEntry[] = [
  {
    id: 'apiserver.requests.unauthorized',
    title: 'Unauthorized API requests',
    description:
      'API requests per second answered 401 (not authenticated) or 403 (forbidden): stolen or probing credentials.',
    category: 'api-server',
    params: PARAMS,
    unit: 'reqps',
    visualization: 'timeseries',
    legend: '{{code}}',
    exporters: () => ['apiserver'],
    related: ['apiserver.authn.failures', 'apiserver.authz.denials'],
    build: (p) => `sum by (code) (${rateOf('apiserver_request_total', p, [fixedMatcher('code', '=~', '401|403')])})`,
  },
  {
    id: 'apiserver.authn.failures',
    title: 'Authentication failures',
    description:
      'Failed authentication attempts per second (authentication_attempts{result="failure"}, an ALPHA apiserver metric): ' +
      'bad tokens or certificates.',
    category: 'api-server',
    params: PARAMS,
    unit: 'reqps',
    visualization: 'timeseries',
    legend: 'failures',
    exporters: () => ['apiserver'],
    related: ['apiserver.requests.unauthorized', 'apiserver.authz.denials'],
    build: (p) => `sum(${rateOf('authentication_attempts', p, [fixedMatcher('result', '=', 'failure')])})`,
  },
  {
    id: 'apiserver.authz.denials',
    title: 'Authorization denials',
    description:
      'Requests per second an authorizer denied (apiserver_authorization_decisions_total{decision="denied"}, Kubernetes ' +
      '>= 1.30), by authorizer type and name.',
    category: 'api-server',
    params: PARAMS,
    unit: 'reqps',
    visualization: 'timeseries',
    legend: '{{type}} {{name}}',
    exporters: () => ['apiserver'],
    related: ['apiserver.requests.unauthorized', 'apiserver.authn.failures'],
    build: (p) =>
      `sum by (type, name) (${rateOf('apiserver_authorization_decisions_total', p, [fixedMatcher('decision', '=', 'denied')])})`,
  },
  {
    id: 'apiserver.secrets.reads_by_verb',
    title: 'Secret reads by verb',
    description:
      'GET, LIST and WATCH requests per second on Secrets (the apiserver reports verbs in capitals): a list across the cluster is how stolen tokens harvest credentials.',
    category: 'api-server',
    params: PARAMS,
    unit: 'reqps',
    visualization: 'timeseries',
    legend: '{{verb}}',
    exporters: () => ['apiserver'],
    related: ['apiserver.exec_attach_portforward', 'apiserver.requests.unauthorized'],
    build: (p) =>
      `sum by (verb) (${rateOf('apiserver_request_total', p, [fixedMatcher('resource', '=', 'secrets'), fixedMatcher('verb', '=~', 'GET|LIST|WATCH')])})`,
  },
  {
    id: 'apiserver.exec_attach_portforward',
    title: 'exec, attach and port-forward',
    description:
      'Interactive access to pods per second (exec, attach, portforward subresources): hands-on-keyboard activity.',
    category: 'api-server',
    params: PARAMS,
    unit: 'reqps',
    visualization: 'timeseries',
    legend: '{{subresource}}',
    exporters: () => ['apiserver'],
    related: ['apiserver.secrets.reads_by_verb'],
    build: (p) =>
      `sum by (subresource) (${rateOf('apiserver_request_total', p, [fixedMatcher('subresource', '=~', 'exec|attach|portforward')])})`,
  },
  {
    id: 'apiserver.client_cert_expiry',
    title: 'Client certificate expiry (1st percentile)',
    description:
      'Remaining lifetime of the client certificates presented to the API server, 1st percentile ' +
      '(apiserver_client_certificate_expiration_seconds histogram): near zero, some client is about to lose access.',
    category: 'api-server',
    params: PARAMS,
    unit: 's',
    visualization: 'stat',
    exporters: () => ['apiserver'],
    related: ['apiserver.authn.failures'],
    build: (p) =>
      `histogram_quantile(0.01, sum by (le) (${rateOf('apiserver_client_certificate_expiration_seconds_bucket', p, [])}))`,
  },
];
