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
      'Requests per second the API server refused to authorize: its 403 answers, and the authorization attempts whose ' +
      'final result refused the request (authorization_attempts_total, result "no-opinion" or "denied"). Under RBAC a ' +
      'refused request is a final no-opinion, never a deny (RBAC only allows), so ' +
      'apiserver_authorization_decisions_total{decision="denied"} stays empty through a burst of 403s.',
    category: 'api-server',
    params: PARAMS,
    unit: 'reqps',
    visualization: 'timeseries',
    legend: '{{refused}}',
    exporters: () => ['apiserver'],
    related: ['apiserver.requests.unauthorized', 'apiserver.authn.failures'],
    // RBAC returns DecisionNoOpinion when no rule allows (plugin/pkg/auth/authorizer/rbac/rbac.go), the union of
    // authorizers passes that on, and the filter counts it as result="no-opinion" before answering 403
    // (apiserver/pkg/endpoints/filters/authorization.go, metrics.go recordAuthorizationMetrics).
    build: (p) =>
      `sum by (refused) (label_replace(sum(${rateOf('apiserver_request_total', p, [fixedMatcher('code', '=', '403')])}), "refused", "403 responses", "", "") or ` +
      `label_replace(sum by (result) (${rateOf('authorization_attempts_total', p, [fixedMatcher('result', '=~', 'no-opinion|denied')])}), "refused", "authorization $1", "result", "(.*)"))`,
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
