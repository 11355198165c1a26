import type { PageSpec } from '../../scenes/spec';

// Who talks to the API server and how, and what the policy engines report (their panels explain when one is absent).
export const postureSpec: PageSpec = {
  id: 'posture',
  title: 'Posture & API',
  description:
    'API authentication failures and denials, secrets reads, exec/attach, host-network pods and policy violations',
  variables: ['datasource', 'cluster', 'namespace'],
  rows: [
    {
      title: 'Kubernetes API',
      panels: [
        { title: 'Authentication failures', queryId: 'apiserver.authn.failures', width: 8, height: 7 },
        { title: 'Authorization denials', queryId: 'apiserver.authz.denials', width: 8, height: 7 },
        { title: '401 and 403 responses', queryId: 'apiserver.requests.unauthorized', width: 8, height: 7 },
        { title: 'Secrets reads by verb', queryId: 'apiserver.secrets.reads_by_verb', width: 8, height: 7 },
        { title: 'exec, attach and port-forward', queryId: 'apiserver.exec_attach_portforward', width: 8, height: 7 },
        {
          title: 'Client certificate expiry',
          queryId: 'apiserver.client_cert_expiry',
          width: 8,
          height: 7,
          // Seconds left: red under a week, orange under 30 days.
          thresholds: [
            { value: null, color: 'red' },
            { value: 7 * 86400, color: 'orange' },
            { value: 30 * 86400, color: 'green' },
          ],
        },
      ],
    },
    {
      title: 'Workload posture',
      panels: [
        {
          title: 'Host-network pods',
          queryId: 'posture.host_network_pods',
          visualization: 'table',
          width: 12,
          height: 8,
          drilldown: 'pod',
        },
        {
          title: 'Privileged container launches (Falco)',
          queryId: 'posture.privileged_launches',
          width: 12,
          height: 8,
        },
        // Which pod and image: the analyst's next question, and the row opens the pod.
        {
          title: 'Privileged launches by pod and image',
          queryId: 'posture.privileged_launches.by_pod',
          visualization: 'table',
          width: 24,
          height: 7,
          drilldown: 'pod',
        },
      ],
    },
    {
      title: 'Policy engines',
      panels: [
        { title: 'Kyverno policy violations', queryId: 'posture.kyverno.violations', width: 8, height: 8 },
        { title: 'Gatekeeper violations', queryId: 'posture.gatekeeper.violations', width: 8, height: 8 },
        { title: 'Trivy vulnerabilities', queryId: 'posture.trivy.vulnerabilities', width: 8, height: 8 },
      ],
    },
  ],
};
