// A real etcd and kube-apiserver with the corpus's Falco chart installed as the Helm release falco/falco
// (scripts/preview/kube), for the Rules page's deploy workspace in the dev stack and the journeys.
import { ChildProcess, execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { firstLineOf } from './childProcess';

export interface KubeCluster {
  apiServer: string;
  chartRepositoryUrl: string;
  kubeconfig: string; // the deployer's, bound to provisioning/kubernetes/falco-deployer-rbac.yaml's Role
  control: string; // POST /rbac/revoke and /rbac/restore take that binding away and give it back
  stop: () => Promise<void>;
}

const ROOT = resolve(__dirname, '../..');

// scripts/kube/build.sh returns the cached binaries at once and builds them (minutes) when they are missing.
export function kubeBinaries(): string {
  const out = execFileSync('bash', [join(ROOT, 'scripts/kube/build.sh')], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return out.toString().trim().split('\n').pop()!;
}

export async function startKubeCluster(binDir: string): Promise<KubeCluster> {
  const dir = mkdtempSync(join(tmpdir(), 'containersec-devstack-kubebin-'));
  try {
    execFileSync('go', ['build', '-o', join(dir, 'kube'), './scripts/preview/kube'], { cwd: ROOT, stdio: 'inherit' });
  } catch (e) {
    rmSync(dir, { recursive: true, force: true });
    throw e;
  }
  const child: ChildProcess = spawn(
    join(dir, 'kube'),
    [
      '-bin',
      binDir,
      '-chart',
      resolve(ROOT, '../shared/corpus/charts/falco'),
      '-rules',
      join(ROOT, 'rules/falco/containersec_rules.yaml'),
      '-rbac',
      join(ROOT, 'provisioning/kubernetes/falco-deployer-rbac.yaml'),
    ],
    { stdio: ['ignore', 'pipe', 'inherit'] }
  );
  const { line, stop } = await firstLineOf(child, dir, 'the dev cluster');
  return { ...JSON.parse(line), stop };
}
