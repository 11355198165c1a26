// npm run dev:stack: the app in your browser on the full local stack (scripts/preview/stack.ts) until Ctrl-C.
// DEVSTACK_PORT (default 3001), DEVSTACK_ROLE (Admin|Editor|Viewer), DEVSTACK_THEME (dark|light), DEVSTACK_KUBE=0;
// DEVSTACK_INFO=<file> writes the addresses there, so `JOURNEYS_STACK=<file> npm run test:journeys` reuses this stack.
import { writeFileSync } from 'node:fs';
import { PLUGIN_BASE_URL } from '../../src/constants';
import { startStack } from './stack';

async function main() {
  const stack = await startStack({
    port: Number(process.env.DEVSTACK_PORT ?? 3001),
    role: (process.env.DEVSTACK_ROLE as 'Admin' | 'Editor' | 'Viewer' | undefined) ?? 'Admin',
    theme: (process.env.DEVSTACK_THEME as 'dark' | 'light' | undefined) ?? 'dark',
    kube: process.env.DEVSTACK_KUBE !== '0',
    watch: true,
    log: (l) => console.log(`[dev:stack] ${l}`),
  });
  if (process.env.DEVSTACK_INFO) {
    writeFileSync(
      process.env.DEVSTACK_INFO,
      JSON.stringify({
        url: stack.url,
        backend: stack.falco.url,
        // The journeys ingest events of their own through the real endpoint (a local stack's random token).
        ingestToken: stack.falco.ingestToken,
        events: stack.events,
        kubeControl: stack.kube?.control ?? '',
        kubeProblem: stack.kubeProblem ?? (stack.kube ? '' : 'DEVSTACK_KUBE=0'),
      })
    );
  }
  console.log(`
Container Security on the scenario day (${stack.events} Falco events), the browser's clock at the day's end:
  ${stack.url}${PLUGIN_BASE_URL}
The bundle is rebuilt when a file changes: reload the page to see it.
Switch the Grafana role or theme with ?role=Admin|Editor|Viewer and ?theme=dark|light on any page.
Cluster: ${stack.kube ? `${stack.kube.apiServer} (Helm release falco/falco)` : `none (${stack.kubeProblem ?? 'DEVSTACK_KUBE=0'})`}
Ctrl-C stops everything.`);
  const shutdown = () => stack.stop().then(() => process.exit(0));
  process.once('SIGINT', shutdown);
  process.once('SIGTERM', shutdown);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
