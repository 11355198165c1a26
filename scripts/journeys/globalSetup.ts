// Starts the stack once for every journey; the tests read its addresses from the environment.
import type { FullConfig } from '@playwright/test';
import { startStack } from '../preview/stack';

export default async function globalSetup(_: FullConfig) {
  const started = Date.now();
  const stack = await startStack({ log: (l) => console.log(`[journeys] ${l}`) });
  console.log(`[journeys] stack ready in ${Math.round((Date.now() - started) / 1000)}s at ${stack.url}`);
  process.env.JOURNEYS_URL = stack.url;
  process.env.JOURNEYS_BACKEND = stack.falco.url;
  process.env.JOURNEYS_EVENTS = String(stack.events);
  process.env.JOURNEYS_KUBE_CONTROL = stack.kube?.control ?? '';
  process.env.JOURNEYS_KUBE_PROBLEM = stack.kubeProblem ?? '';
  return async () => stack.stop();
}
