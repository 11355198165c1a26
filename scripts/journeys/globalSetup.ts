// Starts the stack once for every journey; the tests read its addresses from the environment. JOURNEYS_STACK=<file>
// reuses a running `npm run dev:stack` (started with DEVSTACK_INFO=<file>) while writing journeys.
import { readFileSync } from 'node:fs';
import type { FullConfig } from '@playwright/test';
import { startStack } from '../preview/stack';

export default async function globalSetup(_: FullConfig) {
  if (process.env.JOURNEYS_STACK) {
    const info = JSON.parse(readFileSync(process.env.JOURNEYS_STACK, 'utf8'));
    Object.assign(process.env, {
      JOURNEYS_URL: info.url,
      JOURNEYS_BACKEND: info.backend,
      JOURNEYS_INGEST_TOKEN: info.ingestToken ?? '',
      JOURNEYS_EVENTS: String(info.events),
      JOURNEYS_KUBE_CONTROL: info.kubeControl,
      JOURNEYS_KUBE_PROBLEM: info.kubeProblem,
    });
    return;
  }
  const started = Date.now();
  const stack = await startStack({ log: (l) => console.log(`[journeys] ${l}`) });
  console.log(`[journeys] stack ready in ${Math.round((Date.now() - started) / 1000)}s at ${stack.url}`);
  Object.assign(process.env, {
    JOURNEYS_URL: stack.url,
    JOURNEYS_BACKEND: stack.falco.url,
    JOURNEYS_INGEST_TOKEN: stack.falco.ingestToken,
    JOURNEYS_EVENTS: String(stack.events),
    JOURNEYS_KUBE_CONTROL: stack.kube?.control ?? '',
    JOURNEYS_KUBE_PROBLEM: stack.kubeProblem ?? '',
  });
  return async () => stack.stop();
}
