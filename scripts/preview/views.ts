// The views the preview screenshots: every page and drilldown, at the scenario's attacks.
import { drilldownUrl, prefixRoute, ROUTES } from '../../src/constants';
import { ATTACKS, FALCO_MATCHES, FalcoMatch, RULES } from '../promql/scenario/attacks';
import { at } from '../promql/scenario/timeline';

export interface PreviewView {
  name: string; // the PNG's file name
  path: string; // app URL with its time range
  pluginScreenshot?: string; // also the plugin.json screenshot src/img/screenshots/<this>.png (the first screenful)
}

// An hour before the attack to half an hour after it, so the panels show the quiet and the spike.
function around(start: number, end: number): string {
  return `from=${(start - 3600) * 1000}&to=${(end + 1800) * 1000}`;
}

const cpuBurn = ATTACKS.cpuBurn;
const shell = ATTACKS.shellInNginx;
const atCpuBurn = around(cpuBurn.window.start, cpuBurn.window.end);
const atShell = around(shell.window.start, shell.window.end);
const privileged = ATTACKS.privilegedPod;
const atPrivileged = around(privileged.window.start, privileged.window.end);

// Falco numbers priorities 0 = Emergency ... 7 = Debug: the scenario's first event at Critical or above, in a pod.
const CRITICAL = 2;
function criticalEvent(): FalcoMatch & { pod: NonNullable<FalcoMatch['pod']> } {
  const match = FALCO_MATCHES.find((m) => m.rule.priority <= CRITICAL && m.pod);
  if (!match?.pod) {
    throw new Error('the scenario has no Falco event at Critical or above in a pod: the critical-event views need one');
  }
  return match as FalcoMatch & { pod: NonNullable<FalcoMatch['pod']> };
}
const critical = criticalEvent();
const atCritical = around(critical.window.start, critical.window.end);
// The browser's clock stands at the scenario's end: the last 24 h is the whole scenario day.
const LAST_24H = 'from=now-24h&to=now';
const SIDEKICK = 'var-falcoSource=falcosidekick';

export const VIEWS: PreviewView[] = [
  { name: 'overview-shell', path: `${prefixRoute(ROUTES.Overview)}?${atShell}`, pluginScreenshot: 'overview' },
  { name: 'runtime-shell', path: `${prefixRoute(ROUTES.Runtime)}?${atShell}` },
  { name: 'resources-cpu-burn', path: `${prefixRoute(ROUTES.Resources)}?${atCpuBurn}` },
  { name: 'network-nmap', path: `${prefixRoute(ROUTES.Network)}?${around(at(6), at(6, 15))}` },
  { name: 'posture-privileged', path: `${prefixRoute(ROUTES.Posture)}?${atPrivileged}` },
  {
    name: 'pod-cpu-burn',
    path: `${drilldownUrl(ROUTES.Resources, 'pod', { namespace: cpuBurn.pod.namespace, pod: cpuBurn.pod.name })}?${atCpuBurn}`,
  },
  {
    name: 'namespace-cpu-burn',
    path: `${drilldownUrl(ROUTES.Resources, 'namespace', { namespace: cpuBurn.pod.namespace })}?${atCpuBurn}`,
  },
  {
    name: 'namespace-shell',
    path: `${drilldownUrl(ROUTES.Runtime, 'namespace', { namespace: shell.pod.namespace })}?${atShell}`,
  },
  {
    name: 'pod-shell',
    path: `${drilldownUrl(ROUTES.Runtime, 'pod', { namespace: shell.pod.namespace, pod: shell.pod.name })}?${atShell}`,
  },
  {
    name: 'rule-shell',
    path: `${drilldownUrl(ROUTES.Runtime, 'rule', { rule: RULES.terminalShell.rule })}?${atShell}`,
  },
  // The critical event (Critical or above), as the analyst lands on it from the Overview's red number.
  { name: 'critical-event-runtime', path: `${prefixRoute(ROUTES.Runtime)}?${atCritical}`, pluginScreenshot: 'runtime' },
  {
    name: 'critical-event-pod',
    path: `${drilldownUrl(ROUTES.Runtime, 'pod', { namespace: critical.pod.namespace, pod: critical.pod.name })}?${atCritical}`,
  },
  // A whole day: legends and tables with every pod, the scale of a day's drops and restarts.
  { name: 'overview-24h', path: `${prefixRoute(ROUTES.Overview)}?${LAST_24H}` },
  { name: 'runtime-24h', path: `${prefixRoute(ROUTES.Runtime)}?${LAST_24H}` },
  // falcosidekick picked as the Falco source: priority_raw names, the source in every Falco panel title.
  { name: 'overview-falcosidekick', path: `${prefixRoute(ROUTES.Overview)}?${atShell}&${SIDEKICK}` },
  { name: 'runtime-falcosidekick', path: `${prefixRoute(ROUTES.Runtime)}?${atCritical}&${SIDEKICK}` },
  // The privileged pod: its facts (image, node, owner) and the launch, reached from Posture's table.
  {
    name: 'pod-privileged',
    path: `${drilldownUrl(ROUTES.Posture, 'pod', { namespace: privileged.pod.namespace, pod: privileged.pod.name })}?${atPrivileged}`,
    pluginScreenshot: 'pod-drilldown',
  },
  { name: 'library', path: `${prefixRoute(ROUTES.Library)}?${atShell}` },
  { name: 'library-entry', path: `${prefixRoute(ROUTES.Library)}?${atShell}&entry=falco.events.by_pod` },
  { name: 'rules', path: prefixRoute(ROUTES.Rules), pluginScreenshot: 'rules' },
];
