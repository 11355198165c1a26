// The full stack behind the app in a browser: the bundle with the real @grafana packages, the scenario's real
// Prometheus, the Falco datasource's built backend over the plugin protocol with the scenario's events ingested
// through its real endpoint, and (when its binaries are built) a real kube-apiserver with the Falco release.
import { mkdtempSync, rmSync } from 'node:fs';
import { Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startScenario } from '../promql/scenario/server';
import { DATASET_END } from '../promql/scenario/timeline';
import { bundlePreview, watchPreview } from './bundle';
import { FalcoBackend, seedEvents, startFalcoBackend } from './falcoBackend';
import { scenarioEvents } from './falcoEvents';
import { KubeCluster, kubeBinaries, startKubeCluster } from './kubeCluster';
import { PageSettings, startPreviewServer } from './server';

export interface StackOptions {
  role?: PageSettings['role'];
  theme?: PageSettings['theme'];
  port?: number;
  kube?: boolean; // start the cluster (default); false leaves the Rules page without one
  watch?: boolean; // rebuild the bundle when a source changes
  log?: (line: string) => void;
}

export interface Stack {
  url: string;
  prometheusUrl: string;
  falco: FalcoBackend;
  kube?: KubeCluster;
  kubeProblem?: string; // why there is no cluster
  events: number;
  stop: () => Promise<void>;
}

export async function startStack(options: StackOptions = {}): Promise<Stack> {
  const log = options.log ?? (() => {});
  const stops: Array<() => Promise<void> | void> = [];
  const stop = async () => {
    for (const s of stops.reverse()) {
      await s();
    }
  };
  try {
    let kube: KubeCluster | undefined;
    let kubeProblem: string | undefined;
    if (options.kube !== false) {
      try {
        log('kube: etcd, kube-apiserver and the Falco release (scripts/kube binaries)');
        kube = await startKubeCluster(kubeBinaries());
        stops.push(kube.stop);
      } catch (e) {
        kubeProblem = (e as Error).message;
        log(`kube: left out (${kubeProblem})`);
      }
    }
    log('prometheus: the scenario day');
    const scenario = await startScenario(log);
    stops.push(scenario.stop);
    log('falco: building the backend and starting it over the plugin protocol');
    const falco = await startFalcoBackend({
      kubeconfig: kube?.kubeconfig,
      chartRepositoryUrl: kube?.chartRepositoryUrl,
    });
    stops.push(falco.stop);
    const events = await seedEvents(falco, scenarioEvents());
    log(`falco: ${events} scenario events ingested`);
    const bundleDir = mkdtempSync(join(tmpdir(), 'containersec-devstack-bundle-'));
    stops.push(() => rmSync(bundleDir, { recursive: true, force: true }));
    if (options.watch) {
      stops.push(await watchPreview(bundleDir));
    } else {
      await bundlePreview(bundleDir);
    }
    const settings: PageSettings = {
      role: options.role ?? 'Admin',
      theme: options.theme ?? 'dark',
      now: DATASET_END * 1000,
    };
    const { url, server } = await startPreviewServer(
      bundleDir,
      scenario.prometheus.url,
      falco.url,
      settings,
      options.port ?? 0
    );
    stops.push(() => new Promise<void>((r) => (server as Server).close(() => r())));
    return { url, prometheusUrl: scenario.prometheus.url, falco, kube, kubeProblem, events, stop };
  } catch (e) {
    await stop();
    throw e;
  }
}
