import { act } from '@testing-library/react';
import { Observable, of, throwError } from 'rxjs';
import type { HistoryRevision, Plan, Release, Rollout } from '../../api/deploy';

// A stand-in for the Falco datasource's deploy endpoints, answering as the contract (deploy-api.md) says; each test
// swaps the answers it needs. Only the backend is faked: the client, the page and @grafana/ui are real.

export const RELEASE: Release = {
  namespace: 'falco',
  name: 'falco',
  revision: 3,
  status: 'deployed',
  chart: 'falco',
  chartVersion: '9.1.0',
  appVersion: '0.44.1',
  updated: '2026-11-29T15:00:00Z',
  description: 'Upgrade complete',
  managedBy: { kind: 'helm' },
};

export const CLUSTER_FILES = [{ name: 'cluster_rules.yaml', content: '- list: cluster_list\n  items: [a]\n' }];

export const PLAN: Plan = {
  release: RELEASE,
  baseRevision: 3,
  files: [
    {
      name: 'custom_rules.yaml',
      change: 'added',
      diff: '--- a/custom_rules.yaml\n+++ b/custom_rules.yaml\n@@ -0,0 +1,2 @@\n+- rule: Shell in a container\n+  desc: d\n',
    },
    {
      name: 'cluster_rules.yaml',
      change: 'removed',
      diff: '--- a/cluster_rules.yaml\n+++ b/cluster_rules.yaml\n@@ -1,2 +0,0 @@\n-- list: cluster_list\n-  items: [a]\n',
    },
  ],
  objects: [
    {
      kind: 'ConfigMap',
      namespace: 'falco',
      name: 'falco-rules',
      change: 'modified',
      diff: '@@ -1 +1 @@\n-a\n+b\n',
      expected: true,
    },
    {
      kind: 'DaemonSet',
      namespace: 'falco',
      name: 'falco',
      change: 'modified',
      diff: '@@ -1 +1 @@\n-        image: falcosecurity/falco:0.44.0\n+        image: falcosecurity/falco:0.44.1\n',
      expected: false,
    },
    {
      kind: 'Deployment',
      namespace: 'falco',
      name: 'falco-falcosidekick',
      change: 'removed',
      diff: '',
      expected: false,
    },
  ],
  warnings: [
    { code: 'image_change', message: 'DaemonSet falco/falco changes image falcosecurity/falco:0.44.0 to 0.44.1' },
    {
      code: 'subchart_object_removed',
      message: 'Deployment falco/falco-falcosidekick (subchart falcosidekick) is deleted',
    },
  ],
  confirmRequired: true,
  diagnostics: [],
  valuesDiff: '@@ -1,2 +1,2 @@\n customRules:\n-  cluster_rules.yaml: |\n+  custom_rules.yaml: |\n',
  serverValidated: true,
};

export const HISTORY: HistoryRevision[] = [
  {
    revision: 3,
    updated: '2026-11-29T15:00:00Z',
    status: 'deployed',
    chartVersion: '9.1.0',
    appVersion: '0.44.1',
    description: 'Upgrade complete',
    user: 'admin',
    files: ['custom_rules.yaml'],
  },
  {
    revision: 2,
    updated: '2026-11-28T10:00:00Z',
    status: 'superseded',
    chartVersion: '9.1.0',
    appVersion: '0.44.1',
    description: 'Upgrade complete',
    user: 'alice',
    files: ['network.yaml'],
  },
  {
    revision: 1,
    updated: '2026-11-27T09:00:00Z',
    status: 'superseded',
    chartVersion: '9.0.0',
    appVersion: '0.44.0',
    description: 'Install complete',
    user: '',
    files: [],
  },
];

type Answer = () => Observable<{ data: unknown }>;
export const ok =
  (data: unknown): Answer =>
  () =>
    of({ data });
export const fail =
  (status: number, code: string | undefined, error: string, details: unknown[] = []): Answer =>
  () =>
    throwError(() => ({ status, data: { error, code, details } }));

export const rollout = (done: boolean, updated: number, failingPods: Rollout['daemonSets'][0]['failingPods'] = []) => ({
  done,
  daemonSets: [
    { namespace: 'falco', name: 'falco', desired: 3, updated, ready: updated, available: updated, done, failingPods },
  ],
});

export interface FakeBackend {
  answers: Record<string, Answer | Answer[]>;
  calls: Array<{ url: string; path: string; method: string; data?: any }>;
  route: (req: { url: string; method: string; data?: unknown }) => Observable<{ data: unknown }>;
}

// fakeBackend answers by resource path; a list of answers is used one per call, the last one repeating.
export function fakeBackend(): FakeBackend {
  const b: FakeBackend = {
    calls: [],
    answers: {
      'rules/catalog': ok({ fields: [] }),
      'rules/validate': ok({ diagnostics: [], rules: [], macros: 0, lists: 0 }),
      settings: ok({
        kubeAccess: 'inCluster',
        falcoNamespace: 'falco',
        rolloutTimeoutSeconds: 300,
        chartSource: 'repository',
      }),
      'deploy/releases': ok({ releases: [RELEASE] }),
      'deploy/release': ok({ release: RELEASE, files: CLUSTER_FILES }),
      'deploy/plan': ok(PLAN),
      'deploy/apply': ok({ release: { ...RELEASE, revision: 4 }, description: 'Upgrade complete' }),
      'deploy/rollback': ok({ release: { ...RELEASE, revision: 4, description: 'Rollback to 2' } }),
      'deploy/rollout': ok(rollout(true, 3)),
      'deploy/history': ok({ revisions: HISTORY }),
      'deploy/history/diff': ok({ files: [] }),
    },
    route: (req) => {
      const path = req.url.replace(/^.*\/resources\//, '').replace(/\?.*$/, '');
      b.calls.push({ url: req.url, path, method: req.method, data: req.data });
      const a = b.answers[path];
      if (!a) {
        return throwError(() => ({ status: 404, data: { error: `no resource ${path}` } }));
      }
      if (Array.isArray(a)) {
        return (a.length > 1 ? a.shift()! : a[0])();
      }
      return a();
    },
  };
  return b;
}

export const callsTo = (b: FakeBackend, path: string) => b.calls.filter((c) => c.path === path);

// settle lets pending promises (fetches, lazy chunks) resolve under fake timers.
export async function settle(times = 3) {
  for (let i = 0; i < times; i++) {
    await act(async () => {});
  }
}

export async function advance(ms: number) {
  await act(async () => {
    jest.advanceTimersByTime(ms);
  });
  await settle();
}
