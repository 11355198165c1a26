// npm run dev:stack: the app in your browser on the full local stack (scripts/preview/stack.ts) until Ctrl-C.
// DEVSTACK_PORT (default 3001), DEVSTACK_ROLE (Admin|Editor|Viewer), DEVSTACK_THEME (dark|light), DEVSTACK_KUBE=0.
import { PLUGIN_BASE_URL } from '../../src/constants';
import { startStack } from './stack';

async function main() {
  const stack = await startStack({
    port: Number(process.env.DEVSTACK_PORT ?? 3001),
    role: (process.env.DEVSTACK_ROLE as 'Admin' | 'Editor' | 'Viewer' | undefined) ?? 'Admin',
    theme: (process.env.DEVSTACK_THEME as 'dark' | 'light' | undefined) ?? 'dark',
    kube: process.env.DEVSTACK_KUBE !== '0',
    log: (l) => console.log(`[dev:stack] ${l}`),
  });
  console.log(`
Container Security on the scenario day (${stack.events} Falco events), the browser's clock at the day's end:
  ${stack.url}${PLUGIN_BASE_URL}
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
