import { lastValueFrom } from 'rxjs';
import { getBackendSrv } from '@grafana/runtime';
import { DEFAULT_ROLLOUT_TIMEOUT_SECONDS, type DeployOptions } from '../datasource/deployOptions';
import type { RuleDiagnostic, RulesFile } from './rules';

// Types and calls of the Falco datasource's deploy endpoints, as /work/contracts/deploy-api.md defines them.

export type ManagerKind = 'helm' | 'flux' | 'argocd';

export interface Release {
  namespace: string;
  name: string;
  revision: number;
  status: string;
  chart: string;
  chartVersion: string;
  appVersion: string;
  updated: string;
  description?: string;
  managedBy?: { kind: ManagerKind; detail?: string };
}

export type FileChange = 'added' | 'modified' | 'removed' | 'unchanged';

export interface FileDiff {
  name: string;
  change: FileChange;
  diff: string;
}

export interface ObjectChange {
  kind: string;
  namespace: string;
  name: string;
  change: 'added' | 'modified' | 'removed';
  diff: string;
  // True for the rules ConfigMap and a DaemonSet whose only change is its checksum/rules annotation.
  expected: boolean;
}

export type PlanWarningCode =
  'chart_version_change' | 'subchart_object_removed' | 'image_change' | 'unexpected_object_change' | 'values_change';

export interface PlanWarning {
  code: PlanWarningCode | string;
  message: string;
}

export interface Plan {
  release: Release;
  baseRevision: number;
  files: FileDiff[];
  objects: ObjectChange[];
  warnings: PlanWarning[];
  confirmRequired: boolean;
  // Validation warnings only: errors come as a 422 invalid_rules.
  diagnostics: RuleDiagnostic[];
  // Sent by pkg/deploy beyond the contract; shown when present. The release's user-supplied values before and after.
  valuesDiff?: string;
  // Whether every rendered object passed the API server's own dry-run apply (dryRun=All).
  serverValidated?: boolean;
  // Workloads whose pods the change replaces, and how (pkg/deploy/guard.go).
  restarts?: Restart[];
  // How the release loads rules files (falco.rules_files) and which custom files it loads.
  rulesFiles?: RulesFilesCheck;
  // A rollback (or a recovery from pending-*) goes to this revision.
  rollbackTo?: number;
  recover?: boolean;
}

export interface Restart {
  kind: string;
  namespace: string;
  name: string;
  // -1 when the live object cannot be read.
  pods: number;
  maxUnavailable: number;
  strategy: string;
  message: string;
}

export interface RulesFilesCheck {
  rulesFiles: string[];
  loadsDefaults: boolean;
  loaded: string[];
  notLoaded: string[];
}

// The backend's rollout guard of the last change applied from this Grafana (pkg/deploy/guard.go).
export interface GuardStatus {
  revision: number;
  previousRevision: number;
  state: 'watching' | 'passed' | 'rolledBack' | 'rollbackFailed' | 'superseded';
  reason?: string;
  rollbackRevision?: number;
  started: string;
  finished?: string;
  watched: string[];
}

export interface ReleaseRef {
  namespace: string;
  name: string;
}

export interface FailingPod {
  name: string;
  reason: string;
  message?: string;
}

export interface DaemonSetRollout {
  namespace: string;
  name: string;
  desired: number;
  updated: number;
  ready: number;
  available: number;
  done: boolean;
  failingPods: FailingPod[];
  // The release renders this DaemonSet but the cluster has none (pkg/deploy, beyond the contract).
  missing?: boolean;
}

export interface Rollout {
  done: boolean;
  daemonSets: DaemonSetRollout[];
  guard?: GuardStatus;
}

export interface HistoryRevision {
  revision: number;
  updated: string;
  status: string;
  chartVersion: string;
  appVersion: string;
  description: string;
  user: string;
  files: string[];
  // The Falco rules whose items this revision changed (pkg/deploy changedRules); rulesUnknown when a file could not be read.
  rules?: string[];
  rulesUnknown?: boolean;
  // A revision the rollout guard wrote when the change before it failed to roll out; the description says why.
  automaticRollback?: boolean;
}

// The datasource settings the browser may see that the deploy flow uses (GET settings).
export interface DeploySettingsView extends DeployOptions {
  kubeconfigConfigured?: boolean;
  // Invalid deploy settings; the deploy endpoints answer 400 cluster_not_configured while there are any.
  deployProblems?: string[];
}

export { DEFAULT_ROLLOUT_TIMEOUT_SECONDS };

export type DeployErrorCode =
  | 'forbidden_role'
  | 'stale_revision'
  | 'release_pending'
  | 'gitops_managed'
  | 'confirm_required'
  | 'invalid_rules'
  | 'kube_forbidden'
  | 'cluster_unreachable'
  | 'chart_unavailable'
  | 'cluster_not_configured'
  | 'release_not_found'
  // Added by the backend (contract, "Additions by the backend").
  | 'server_rejected'
  | 'helm_failed'
  | 'bad_request';

// DeployError carries the backend's {error, code, details} answer, so the page can say what to do about it.
export class DeployError extends Error {
  constructor(
    message: string,
    readonly status?: number,
    readonly code?: DeployErrorCode | string,
    readonly details: unknown[] = []
  ) {
    super(message);
    this.name = 'DeployError';
  }

  // The warnings a 409 confirm_required answer carries.
  get warnings(): PlanWarning[] {
    return this.code === 'confirm_required'
      ? (this.details.filter((d) => typeof (d as PlanWarning | null)?.message === 'string') as PlanWarning[])
      : [];
  }

  // The rule problems of a 422 invalid_rules answer.
  get diagnostics(): RuleDiagnostic[] {
    return this.code === 'invalid_rules' ? (this.details.filter(isDiagnostic) as RuleDiagnostic[]) : [];
  }
}

function isDiagnostic(d: unknown): boolean {
  const x = d as Partial<RuleDiagnostic> | null;
  return typeof x?.file === 'string' && typeof x?.line === 'number' && typeof x?.message === 'string';
}

// toDeployError reads the backend's error body, or Grafana's own ({message}) when the plugin did not answer.
export function toDeployError(e: unknown): DeployError {
  if (e instanceof DeployError) {
    return e;
  }
  const err = e as { status?: number; data?: { error?: string; message?: string; code?: string; details?: unknown } };
  const data = err?.data;
  const text = data?.error ?? data?.message ?? (e instanceof Error ? e.message : undefined);
  const details = Array.isArray(data?.details) ? data.details : [];
  return new DeployError(
    text || 'the Falco datasource did not answer',
    err?.status,
    typeof data?.code === 'string' ? data.code : undefined,
    details
  );
}

const resource = (uid: string, path: string, query?: Record<string, string | number>) => {
  const qs = query ? `?${new URLSearchParams(Object.entries(query).map(([k, v]) => [k, String(v)]))}` : '';
  return `/api/datasources/uid/${encodeURIComponent(uid)}/resources/${path}${qs}`;
};

async function call<T>(url: string, method: 'GET' | 'POST', data?: unknown): Promise<T> {
  try {
    const res = await lastValueFrom(
      getBackendSrv().fetch<T>({ url, method, data, showErrorAlert: false, showSuccessAlert: false })
    );
    return res.data;
  } catch (e) {
    throw toDeployError(e);
  }
}

const ref = (r: ReleaseRef) => ({ namespace: r.namespace, name: r.name });

export async function getDeploySettings(uid: string): Promise<DeploySettingsView> {
  return (await call<DeploySettingsView>(resource(uid, 'settings'), 'GET')) ?? {};
}

export async function listReleases(uid: string): Promise<Release[]> {
  return (await call<{ releases?: Release[] }>(resource(uid, 'deploy/releases'), 'GET'))?.releases ?? [];
}

export async function getRelease(uid: string, r: ReleaseRef): Promise<{ release: Release; files: RulesFile[] }> {
  const d = await call<{ release: Release; files?: RulesFile[] }>(resource(uid, 'deploy/release', ref(r)), 'GET');
  return { release: d.release, files: d.files ?? [] };
}

function normalisePlan(p: Partial<Plan> & { release: Release; baseRevision: number }): Plan {
  return {
    ...p,
    files: p.files ?? [],
    objects: p.objects ?? [],
    warnings: p.warnings ?? [],
    confirmRequired: p.confirmRequired ?? (p.warnings ?? []).length > 0,
    diagnostics: p.diagnostics ?? [],
  };
}

// planDeploy previews deploying the files as the release's whole customRules.
export async function planDeploy(uid: string, r: ReleaseRef, baseRevision: number, files: RulesFile[]): Promise<Plan> {
  return normalisePlan(await call(resource(uid, 'deploy/plan'), 'POST', { ...ref(r), baseRevision, files }));
}

// planRollback previews going back to an older revision.
export async function planRollback(
  uid: string,
  r: ReleaseRef,
  baseRevision: number,
  rollbackTo: number
): Promise<Plan> {
  return normalisePlan(await call(resource(uid, 'deploy/plan'), 'POST', { ...ref(r), baseRevision, rollbackTo }));
}

// planRecover previews the way out of a pending-* release: a rollback to its last deployed revision (Admin).
export async function planRecover(uid: string, r: ReleaseRef, baseRevision: number): Promise<Plan> {
  return normalisePlan(await call(resource(uid, 'deploy/plan'), 'POST', { ...ref(r), baseRevision, recover: true }));
}

// An apply or rollback the backend goes on with after the request ended (202): its state, read back from Helm.
export interface DeployOperation {
  id: string;
  kind: string;
  state: 'running' | 'succeeded' | 'failed';
  release?: Release;
  description?: string;
  error?: { code: string; message: string; details?: unknown[] };
}

type ChangeAnswer = { release: Release; description?: string };

export async function getOperation(uid: string, r: ReleaseRef): Promise<DeployOperation> {
  return call<DeployOperation>(resource(uid, 'deploy/operation', ref(r)), 'GET');
}

// settle waits for an operation the backend answered 202 for, polling deploy/operation.
async function settle(
  uid: string,
  r: ReleaseRef,
  answer: ChangeAnswer | { operation: DeployOperation },
  pollMs = 1000
): Promise<ChangeAnswer> {
  if (!('operation' in answer) || !answer.operation) {
    return answer as ChangeAnswer;
  }
  let op = answer.operation;
  while (op.state === 'running') {
    await new Promise((resolve) => setTimeout(resolve, pollMs));
    op = await getOperation(uid, r);
  }
  if (op.state === 'failed' || !op.release) {
    throw new DeployError(op.error?.message ?? `${op.kind} failed`, undefined, op.error?.code, op.error?.details ?? []);
  }
  return { release: op.release, description: op.description };
}

export async function applyDeploy(
  uid: string,
  r: ReleaseRef,
  baseRevision: number,
  files: RulesFile[],
  confirmWarnings: boolean,
  pollMs?: number
): Promise<ChangeAnswer> {
  const answer = await call<ChangeAnswer>(resource(uid, 'deploy/apply'), 'POST', {
    ...ref(r),
    baseRevision,
    files,
    confirmWarnings,
  });
  return settle(uid, r, answer, pollMs);
}

export async function applyRollback(
  uid: string,
  r: ReleaseRef,
  baseRevision: number,
  toRevision: number,
  confirmWarnings: boolean,
  pollMs?: number
): Promise<ChangeAnswer> {
  const answer = await call<ChangeAnswer>(resource(uid, 'deploy/rollback'), 'POST', {
    ...ref(r),
    baseRevision,
    toRevision,
    confirmWarnings,
  });
  return settle(uid, r, answer, pollMs);
}

// applyRecover runs what planRecover previewed (deploy/recover), following a 202 like applyDeploy.
export async function applyRecover(
  uid: string,
  r: ReleaseRef,
  baseRevision: number,
  confirmWarnings: boolean,
  pollMs?: number
): Promise<ChangeAnswer> {
  const answer = await call<ChangeAnswer>(resource(uid, 'deploy/recover'), 'POST', {
    ...ref(r),
    baseRevision,
    confirmWarnings,
  });
  return settle(uid, r, answer, pollMs);
}

export async function getRollout(uid: string, r: ReleaseRef): Promise<Rollout> {
  const d = await call<Partial<Rollout>>(resource(uid, 'deploy/rollout', ref(r)), 'GET');
  return {
    done: Boolean(d?.done),
    daemonSets: (d?.daemonSets ?? []).map((ds) => ({ ...ds, failingPods: ds.failingPods ?? [] })),
    guard: d?.guard ? { ...d.guard, watched: d.guard.watched ?? [] } : undefined,
  };
}

export async function getHistory(uid: string, r: ReleaseRef): Promise<HistoryRevision[]> {
  const d = await call<{ revisions?: HistoryRevision[] }>(resource(uid, 'deploy/history', ref(r)), 'GET');
  return (d?.revisions ?? []).map((rev) => ({ ...rev, files: rev.files ?? [] }));
}

export async function getHistoryDiff(uid: string, r: ReleaseRef, from: number, to: number): Promise<FileDiff[]> {
  const d = await call<{ files?: FileDiff[] }>(resource(uid, 'deploy/history/diff', { ...ref(r), from, to }), 'GET');
  return d?.files ?? [];
}

// One request an apply makes and whether the datasource's credentials may make it (SelfSubjectAccessReview).
export interface DeployPermission {
  verb: string;
  group: string;
  resource: string;
  namespace?: string;
  name?: string;
  why: string;
  granted: boolean;
}

export interface PermissionCheck {
  namespace: string;
  name: string;
  permissions: DeployPermission[];
  missing: number;
  // RBAC rules that grant what is missing; empty when nothing is.
  rbac: string;
}

// Every permission an apply to each Falco release in the datasource's namespace needs, checked by the API server.
export async function getPermissions(uid: string): Promise<PermissionCheck[]> {
  return (await call<{ checks?: PermissionCheck[] }>(resource(uid, 'deploy/permissions'), 'GET'))?.checks ?? [];
}
