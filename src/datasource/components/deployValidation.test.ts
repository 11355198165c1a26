import { validateDeployOptions } from './deployValidation';

const none = { kubeconfigConfigured: false };

test.each([
  [{}, none, {}],
  // In-cluster access needs no kubeconfig.
  [{ kubeAccess: 'inCluster' }, none, {}],
  [{ kubeAccess: 'kubeconfig' }, none, { kubeconfig: expect.stringContaining('Paste the kubeconfig') }],
  [{ kubeAccess: 'kubeconfig' }, { kubeconfigConfigured: true }, {}],
  [
    { kubeAccess: 'kubeconfig' },
    { kubeconfigConfigured: false, kubeconfig: 'hello: world' },
    { kubeconfig: expect.stringContaining('no clusters') },
  ],
  [{ kubeAccess: 'kubeconfig' }, { kubeconfigConfigured: false, kubeconfig: 'apiVersion: v1\nclusters: []\n' }, {}],
  [{ falcoNamespace: '' }, none, {}],
  [{ falcoNamespace: 'falco-system' }, none, {}],
  [{ falcoNamespace: 'Falco' }, none, { falcoNamespace: expect.stringContaining('lowercase') }],
  [{ falcoNamespace: 'falco_' }, none, { falcoNamespace: expect.any(String) }],
  [{ falcoNamespace: 'a'.repeat(64) }, none, { falcoNamespace: expect.any(String) }],
  [{ falcoNamespace: 'a'.repeat(63) }, none, {}],
  [{ chartRepositoryUrl: 'https://charts.internal/falco' }, none, {}],
  // Empty: the backend uses https://falcosecurity.github.io/charts.
  [{ chartRepositoryUrl: '' }, none, {}],
  [{ chartRepositoryUrl: 'charts.internal' }, none, { chartRepositoryUrl: 'Not a valid URL' }],
  [
    { chartRepositoryUrl: 'oci://ghcr.io/x' },
    none,
    { chartRepositoryUrl: expect.stringContaining('choose OCI registry') },
  ],
  [
    { chartRepositoryUrl: 'https://u:p@charts.internal' },
    none,
    { chartRepositoryUrl: expect.stringContaining('credentials') },
  ],
  // A repository URL left from before does not matter once the source is OCI.
  [
    { chartSource: 'oci', chartRepositoryUrl: 'bad', chartOciRef: 'oci://ghcr.io/falcosecurity/charts/falco' },
    none,
    {},
  ],
  [{ chartSource: 'oci' }, none, { chartOciRef: expect.stringContaining('needs a reference') }],
  [
    { chartSource: 'oci', chartOciRef: 'ghcr.io/falcosecurity/charts/falco' },
    none,
    { chartOciRef: 'An OCI reference starts with oci://' },
  ],
  [
    { chartSource: 'oci', chartOciRef: 'oci://ghcr.io' },
    none,
    { chartOciRef: expect.stringContaining('registry and the chart path') },
  ],
  [
    { chartSource: 'oci', chartOciRef: 'oci://ghcr.io/falcosecurity/charts/falco:9.1.0' },
    none,
    { chartOciRef: expect.stringContaining('Leave out the tag') },
  ],
  [
    { chartSource: 'oci', chartOciRef: 'oci://ghcr.io/charts/falco@sha256:abc' },
    none,
    { chartOciRef: expect.stringContaining('Leave out the tag') },
  ],
  [
    { chartSource: 'oci', chartOciRef: 'oci://user:pw@ghcr.io/charts/falco' },
    none,
    { chartOciRef: expect.stringContaining('credentials') },
  ],
  [{ chartSource: 'oci', chartOciRef: 'oci://registry.internal:5000/charts/falco' }, none, {}],
  [{ chartSource: 'none' }, none, {}],
  [{ rolloutTimeoutSeconds: 300 }, none, {}],
  [{ rolloutTimeoutSeconds: 5 }, none, { rolloutTimeoutSeconds: 'Between 10 and 3600 seconds' }],
  [{ rolloutTimeoutSeconds: 3601 }, none, { rolloutTimeoutSeconds: expect.any(String) }],
  [{ rolloutTimeoutSeconds: 30.5 }, none, { rolloutTimeoutSeconds: expect.any(String) }],
  [{ rolloutTimeoutSeconds: NaN }, none, { rolloutTimeoutSeconds: expect.any(String) }],
] as const)('validateDeployOptions(%j, %j)', (options, secret, expected) => {
  expect(validateDeployOptions(options as any, secret)).toEqual(expected);
});
