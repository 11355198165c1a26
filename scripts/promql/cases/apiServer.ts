import { CLUSTER, CLUSTER_DECOY, counter, out, type QueryCase, s } from './shared';

// apiserver_request_total has verb (in capitals), resource, subresource and code, and no user or namespace.
const req = (cluster: string, code: string, verb: string, resource: string, subresource = '') => ({
  cluster,
  code,
  verb,
  resource,
  subresource,
  group: '',
  version: 'v1',
  scope: 'namespace',
  component: 'apiserver',
});
const R = 'apiserver_request_total';
const series = [
  s(R, req(CLUSTER, '401', 'GET', 'pods'), counter(60)),
  s(R, req(CLUSTER, '403', 'LIST', 'secrets'), counter(120)),
  s(R, req(CLUSTER, '200', 'GET', 'secrets'), counter(30)),
  s(R, req(CLUSTER, '200', 'WATCH', 'secrets'), counter(6)),
  s(R, req(CLUSTER, '200', 'DELETE', 'secrets'), counter(60)),
  s(R, req(CLUSTER, '101', 'CREATE', 'pods', 'exec'), counter(60)),
  s(R, req(CLUSTER, '101', 'CONNECT', 'pods', 'portforward'), counter(6)),
  s(R, req(CLUSTER, '200', 'GET', 'pods', 'log'), counter(600)),
  s(R, req(CLUSTER_DECOY, '401', 'GET', 'pods'), counter(600)),
  s(R, req(CLUSTER_DECOY, '101', 'CREATE', 'pods', 'exec'), counter(600)),
  s('authentication_attempts', { cluster: CLUSTER, result: 'failure' }, counter(60)),
  s('authentication_attempts', { cluster: CLUSTER, result: 'success' }, counter(600)),
  s('authentication_attempts', { cluster: CLUSTER_DECOY, result: 'failure' }, counter(600)),
  // RBAC never denies: the 403s show as no-opinion attempts (and a webhook authorizer's deny as denied).
  s('authorization_attempts_total', { cluster: CLUSTER, result: 'no-opinion' }, counter(60)),
  s('authorization_attempts_total', { cluster: CLUSTER, result: 'denied' }, counter(30)),
  s('authorization_attempts_total', { cluster: CLUSTER, result: 'allowed' }, counter(600)),
  s('authorization_attempts_total', { cluster: CLUSTER_DECOY, result: 'no-opinion' }, counter(600)),
  s(
    'apiserver_authorization_decisions_total',
    { cluster: CLUSTER, type: 'RBAC', name: 'rbac', decision: 'allowed' },
    counter(600)
  ),
  // Every certificate presented expires between one hour and one day from now.
  s('apiserver_client_certificate_expiration_seconds_bucket', { cluster: CLUSTER, le: '3600' }, counter(0)),
  s('apiserver_client_certificate_expiration_seconds_bucket', { cluster: CLUSTER, le: '86400' }, counter(60)),
  s('apiserver_client_certificate_expiration_seconds_bucket', { cluster: CLUSTER, le: '+Inf' }, counter(60)),
];
const p = { interval: '5m', cluster: CLUSTER };

export const apiServerCases: QueryCase[] = [
  {
    name: 'hostile cluster',
    id: 'apiserver.requests.unauthorized',
    params: p,
    series,
    expected: [out({ code: '401' }, 1), out({ code: '403' }, 2)],
  },
  {
    name: 'every cluster',
    id: 'apiserver.requests.unauthorized',
    params: { interval: '5m' },
    series,
    expected: [out({ code: '401' }, 11), out({ code: '403' }, 2)],
  },
  { name: 'hostile cluster', id: 'apiserver.authn.failures', params: p, series, expected: [out({}, 1)] },
  {
    name: 'hostile cluster',
    id: 'apiserver.authz.denials',
    params: p,
    series,
    expected: [
      out({ refused: '403 responses' }, 2),
      out({ refused: 'authorization no-opinion' }, 1),
      out({ refused: 'authorization denied' }, 0.5),
    ],
  },
  {
    name: 'hostile cluster',
    id: 'apiserver.secrets.reads_by_verb',
    params: p,
    series,
    expected: [out({ verb: 'GET' }, 0.5), out({ verb: 'LIST' }, 2), out({ verb: 'WATCH' }, 0.1)],
  },
  {
    name: 'hostile cluster',
    id: 'apiserver.exec_attach_portforward',
    params: p,
    series,
    expected: [out({ subresource: 'exec' }, 1), out({ subresource: 'portforward' }, 0.1)],
  },
  {
    name: 'every cluster',
    id: 'apiserver.exec_attach_portforward',
    params: { interval: '5m' },
    series,
    expected: [out({ subresource: 'exec' }, 11), out({ subresource: 'portforward' }, 0.1)],
  },
  { name: 'hostile cluster', id: 'apiserver.client_cert_expiry', params: p, series, expected: [out({}, 4428)] },
];
