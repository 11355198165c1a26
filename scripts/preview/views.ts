// The views the preview screenshots: every page and drilldown, at the scenario's attacks.
import { drilldownUrl, prefixRoute, ROUTES } from '../../src/constants';
import { ATTACKS, RULES } from '../promql/scenario/attacks';
import { at } from '../promql/scenario/timeline';

export interface PreviewView {
  name: string; // the PNG's file name
  path: string; // app URL with its time range
}

// An hour before the attack to half an hour after it, so the panels show the quiet and the spike.
function around(start: number, end: number): string {
  return `from=${(start - 3600) * 1000}&to=${(end + 1800) * 1000}`;
}

const cpuBurn = ATTACKS.cpuBurn;
const shell = ATTACKS.shellInNginx;
const atCpuBurn = around(cpuBurn.window.start, cpuBurn.window.end);
const atShell = around(shell.window.start, shell.window.end);

export const VIEWS: PreviewView[] = [
  { name: 'overview-shell', path: `${prefixRoute(ROUTES.Overview)}?${atShell}` },
  { name: 'runtime-shell', path: `${prefixRoute(ROUTES.Runtime)}?${atShell}` },
  { name: 'resources-cpu-burn', path: `${prefixRoute(ROUTES.Resources)}?${atCpuBurn}` },
  { name: 'network-nmap', path: `${prefixRoute(ROUTES.Network)}?${around(at(6), at(6, 15))}` },
  { name: 'posture-privileged', path: `${prefixRoute(ROUTES.Posture)}?${around(at(15), at(15, 5))}` },
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
  { name: 'library', path: `${prefixRoute(ROUTES.Library)}?${atShell}` },
  { name: 'library-entry', path: `${prefixRoute(ROUTES.Library)}?${atShell}&entry=falco.events.by_pod` },
  { name: 'rules', path: prefixRoute(ROUTES.Rules) },
];
