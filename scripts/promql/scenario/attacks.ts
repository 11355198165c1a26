// What happens in the scenario's day, and when: the attacks users try first, plus the operational incidents the
// health and workload queries exist for. Exporters read this table; tests read it to know where to look.
import { DECOY_PODS, findPod, NODES, Pod, PRIVILEGED_POD_CREATED_AT, PODS } from './cluster';
import { TimeWindow, window } from './timeline';

export interface FalcoRuleInfo {
  rule: string;
  priority: number; // Falco's number: 0 = emergency ... 7 = debug
  source: string;
  tags: string[];
}

// Rule names, priorities and tags as in the official rulesets (../shared/corpus/falco-rules).
export const RULES = {
  terminalShell: {
    rule: 'Terminal shell in container',
    priority: 5,
    source: 'syscall',
    tags: ['maturity_stable', 'container', 'shell', 'mitre_execution', 'T1059'],
  },
  readSensitiveFile: {
    rule: 'Read sensitive file untrusted',
    priority: 4,
    source: 'syscall',
    tags: ['maturity_stable', 'host', 'container', 'filesystem', 'mitre_credential_access', 'T1555'],
  },
  launchPrivileged: {
    rule: 'Launch Privileged Container',
    priority: 6,
    source: 'syscall',
    tags: ['maturity_incubating', 'container', 'cis', 'mitre_execution', 'T1610', 'PCI_DSS_10.2.5'],
  },
  networkTool: {
    rule: 'Launch Suspicious Network Tool in Container',
    priority: 5,
    source: 'syscall',
    tags: ['maturity_incubating', 'container', 'network', 'process', 'mitre_execution', 'T1059'],
  },
  dropAndExecute: {
    rule: 'Drop and execute new binary in container',
    priority: 2,
    source: 'syscall',
    tags: ['maturity_stable', 'container', 'process', 'mitre_persistence', 'TA0003', 'PCI_DSS_11.5.1'],
  },
  contactApiServer: {
    rule: 'Contact K8S API Server From Container',
    priority: 5,
    source: 'syscall',
    tags: ['maturity_stable', 'container', 'network', 'k8s', 'mitre_discovery', 'T1565'],
  },
  redirectStdio: {
    rule: 'Redirect STDOUT/STDIN to Network Connection in Container',
    priority: 5,
    source: 'syscall',
    tags: ['maturity_stable', 'container', 'network', 'process', 'mitre_execution', 'T1059'],
  },
  // The project's own rule (a custom rule: Falco has no stock rule for curl), tagged so custom matches can be told apart.
  curlInContainer: {
    rule: 'Curl Executed in Container',
    priority: 5,
    source: 'syscall',
    tags: ['custom', 'container', 'network', 'mitre_command_and_control', 'T1105'],
  },
} satisfies Record<string, FalcoRuleInfo>;

// A custom rule whose name a selector must escape, and one a half-escaped regex would also match.
export const HOSTILE_RULE: FalcoRuleInfo = {
  rule: 'Evil "rule" \\ (.*) [x]',
  priority: 3,
  source: 'syscall',
  tags: ['custom'],
};
export const DECOY_RULE: FalcoRuleInfo = {
  rule: 'Evil "rule" \\ (ab) x',
  priority: 3,
  source: 'syscall',
  tags: ['custom'],
};

export interface FalcoMatch {
  rule: FalcoRuleInfo;
  pod?: Pod; // absent for host events
  node: string;
  window: TimeWindow;
  perMinute: number; // matches per minute while the window lasts
  exactly?: number; // instead: exactly this many matches, all at the window's start (a single rare detection)
}

export interface Attack {
  id: string;
  what: string;
  window: TimeWindow;
  pod: Pod;
  node: string;
}

const nginx = findPod('web', 'nginx-');
const recommendation = findPod('shop', 'recommendation-');
const netshoot = findPod('dev', 'netshoot-');
const cart = findPod('shop', 'cart-');
const privileged = findPod('default', 'priv-debug');

export const ATTACKS = {
  cpuBurn: {
    id: 'cpuBurn',
    what: 'while true; do openssl speed; done (CPU at its limit)',
    window: window(3, 0, 60),
    pod: recommendation,
    node: recommendation.node.name,
  },
  nmapScan: {
    id: 'nmapScan',
    what: 'nmap -sT of the pod network from a pod',
    window: window(6, 0, 15),
    pod: netshoot,
    node: netshoot.node.name,
  },
  shellInNginx: {
    id: 'shellInNginx',
    what: 'kubectl exec -it nginx -- sh',
    window: window(9, 0, 6),
    pod: nginx,
    node: nginx.node.name,
  },
  readShadow: {
    id: 'readShadow',
    what: 'cat /etc/shadow in the nginx shell',
    window: window(9, 7, 2),
    pod: nginx,
    node: nginx.node.name,
  },
  curlInContainer: {
    id: 'curlInContainer',
    what: 'curl of a payload from inside the cart container',
    window: window(12, 0, 10),
    pod: cart,
    node: cart.node.name,
  },
  privilegedPod: {
    id: 'privilegedPod',
    what: 'kubectl run --privileged',
    window: { start: PRIVILEGED_POD_CREATED_AT, end: PRIVILEGED_POD_CREATED_AT + 300 },
    pod: privileged,
    node: privileged.node.name,
  },
} satisfies Record<string, Attack>;

// When the single Critical detection ("Drop and execute new binary in container" in the cart pod) happens.
export const CRITICAL_DETECTION = window(12, 5, 1);

// Operational incidents on the same day: what the health and workload-stability queries exist for.
export const INCIDENTS = {
  rulesFileChange: window(14, 0, 0), // the custom rules file is redeployed: its sha256 changes
  kernelDrops: { ...window(18, 0, 10), node: NODES[2].name },
  falcoDown: { ...window(20, 0, 60), node: NODES[1].name }, // Falco crash-loops on one node
  buildAgentCrashLoop: { ...window(16, 0, 90), pod: findPod('dev', 'build-agent-') },
  fraudWorkerOom: { ...window(21, 0, 30), pod: findPod('payments', 'fraud-worker-') }, // memory climbs, OOM kill at the end
  apiserverDenials: window(22, 0, 20), // a stolen token probes the API: 401s and 403s, secrets lists
};

// The quiet part of the day: before the first attack, nothing unusual happens.
export const QUIET = window(1, 0, 60);

export const FALCO_MATCHES: FalcoMatch[] = [
  ...PODS.filter((p) => p.namespace === 'monitoring' && p.name.startsWith('kube-prometheus-stack-kube-state')).map(
    (p) => ({ rule: RULES.contactApiServer, pod: p, node: p.node.name, window: window(0, 0, 24 * 60), perMinute: 0.05 })
  ),
  {
    rule: RULES.redirectStdio,
    pod: findPod('dev', 'jenkins-'),
    node: findPod('dev', 'jenkins-').node.name,
    window: window(2, 0, 600),
    perMinute: 0.02,
  },
  { rule: RULES.networkTool, pod: netshoot, node: netshoot.node.name, window: ATTACKS.nmapScan.window, perMinute: 4 },
  { rule: RULES.terminalShell, pod: nginx, node: nginx.node.name, window: ATTACKS.shellInNginx.window, perMinute: 2 },
  { rule: RULES.readSensitiveFile, pod: nginx, node: nginx.node.name, window: ATTACKS.readShadow.window, perMinute: 3 },
  {
    rule: RULES.curlInContainer,
    pod: cart,
    node: cart.node.name,
    window: ATTACKS.curlInContainer.window,
    perMinute: 3,
  },
  // The day's one Critical detection: a single match, so its series is born at 1 and never moves again.
  { rule: RULES.dropAndExecute, pod: cart, node: cart.node.name, window: CRITICAL_DETECTION, perMinute: 0, exactly: 1 },
  {
    rule: RULES.launchPrivileged,
    pod: privileged,
    node: privileged.node.name,
    window: ATTACKS.privilegedPod.window,
    perMinute: 1,
  },
  // The fleet's everyday noise (a scale's application pods): every fourth pod talks to the API server now and then,
  // every ninth has someone open a shell in it for ten minutes at some hour; each series is born at its first event.
  ...PODS.filter((p) => p.fleet).flatMap((p, k) => [
    ...(k % 4 === 0
      ? [{ rule: RULES.contactApiServer, pod: p, node: p.node.name, window: window(0, 0, 24 * 60), perMinute: 0.01 }]
      : []),
    ...(k % 9 === 0
      ? [{ rule: RULES.terminalShell, pod: p, node: p.node.name, window: window(k % 23, 10, 10), perMinute: 0.5 }]
      : []),
  ]),
  // Hostile names in every label the escaping tests select on: pod, namespace and rule.
  ...PODS.filter((p) => p.name.startsWith('evil')).map((p) => ({
    rule: HOSTILE_RULE,
    pod: p,
    node: p.node.name,
    window: window(0, 30, 23 * 60),
    perMinute: 0.02,
  })),
  ...PODS.filter((p) => p.name === DECOY_PODS[0]).map((p) => ({
    rule: DECOY_RULE,
    pod: p,
    node: p.node.name,
    window: window(0, 30, 23 * 60),
    perMinute: 0.02,
  })),
];
