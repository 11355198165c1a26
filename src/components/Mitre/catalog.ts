// MITRE ATT&CK (Enterprise) as Falco's rulesets tag it: tactics as mitre_<tactic> and as ids (TA0003), techniques as
// ids (T1059, T1059.004). One catalog for every view (events drawer, rule drilldown, Rules table), so a rule reads the
// same everywhere. Names are ATT&CK's; the techniques listed are those the official Falco rulesets use
// (falco_rules.yaml, falco-incubating_rules.yaml, falco-sandbox_rules.yaml); any other id is shown by id, still linked.

export interface MitreTactic {
  id: string; // TA0003
  name: string; // Persistence
  url: string;
}

export interface MitreTechnique {
  id: string; // T1059.004
  name?: string; // Unix Shell (undefined for an id the catalog does not name)
  url: string;
}

const TACTICS: Array<[string, string]> = [
  ['TA0043', 'Reconnaissance'],
  ['TA0042', 'Resource Development'],
  ['TA0001', 'Initial Access'],
  ['TA0002', 'Execution'],
  ['TA0003', 'Persistence'],
  ['TA0004', 'Privilege Escalation'],
  ['TA0005', 'Defense Evasion'],
  ['TA0006', 'Credential Access'],
  ['TA0007', 'Discovery'],
  ['TA0008', 'Lateral Movement'],
  ['TA0009', 'Collection'],
  ['TA0011', 'Command and Control'],
  ['TA0010', 'Exfiltration'],
  ['TA0040', 'Impact'],
];

const TECHNIQUES: Record<string, string> = {
  T1005: 'Data from Local System',
  T1020: 'Automated Exfiltration',
  'T1021.004': 'SSH',
  T1046: 'Network Service Discovery',
  'T1053.003': 'Cron',
  'T1055.008': 'Ptrace System Calls',
  T1059: 'Command and Scripting Interpreter',
  'T1059.004': 'Unix Shell',
  T1070: 'Indicator Removal',
  T1072: 'Software Deployment Tools',
  T1083: 'File and Directory Discovery',
  T1098: 'Account Manipulation',
  'T1098.004': 'SSH Authorized Keys',
  T1132: 'Data Encoding',
  T1190: 'Exploit Public-Facing Application',
  'T1195.002': 'Compromise Software Supply Chain',
  T1204: 'User Execution',
  'T1205.001': 'Port Knocking',
  'T1222.002': 'Linux and Mac File and Directory Permissions Modification',
  T1485: 'Data Destruction',
  T1496: 'Resource Hijacking',
  T1505: 'Server Software Component',
  'T1505.003': 'Web Shell',
  T1543: 'Create or Modify System Process',
  'T1546.004': 'Unix Shell Configuration Modification',
  'T1548.001': 'Setuid and Setgid',
  'T1548.003': 'Sudo and Sudo Caching',
  T1552: 'Unsecured Credentials',
  'T1552.001': 'Credentials In Files',
  'T1552.005': 'Cloud Instance Metadata API',
  T1555: 'Credentials from Password Stores',
  T1556: 'Modify Authentication Process',
  'T1557.002': 'ARP Cache Poisoning',
  'T1564.001': 'Hidden Files and Directories',
  T1565: 'Data Manipulation',
  T1610: 'Deploy Container',
  T1611: 'Escape to Host',
  T1620: 'Reflective Code Loading',
  T1622: 'Debugger Evasion',
};

const TECHNIQUE_ID = /^T\d{4}(\.\d{3})?$/i;

const tacticByKey = new Map<string, MitreTactic>();
for (const [id, name] of TACTICS) {
  const tactic = { id, name, url: `https://attack.mitre.org/tactics/${id}/` };
  const snake = name.toLowerCase().replace(/ /g, '_');
  for (const key of [id.toLowerCase(), snake, `mitre_${snake}`]) {
    tacticByKey.set(key, tactic);
  }
}

// The tactic a tag or name stands for: "mitre_persistence", "persistence", "TA0003" are all Persistence (TA0003).
export function tacticOf(tag: string): MitreTactic | undefined {
  return tacticByKey.get(tag.trim().toLowerCase());
}

// The ATT&CK page of a technique id: T1059.004 is /techniques/T1059/004/.
export function techniqueOf(tag: string): MitreTechnique | undefined {
  const id = tag.trim().toUpperCase();
  if (!TECHNIQUE_ID.test(id)) {
    return undefined;
  }
  return { id, name: TECHNIQUES[id], url: `https://attack.mitre.org/techniques/${id.replace('.', '/')}/` };
}

export interface MitreMapping {
  tactics: MitreTactic[]; // in ATT&CK's kill-chain order, each once
  techniques: MitreTechnique[]; // each once, in the order given
  tags: string[]; // the tags that named them (to leave out of a plain tag list)
}

// The ATT&CK mapping of a rule or event from its tags (and the tactic names the backend lists for a rule).
export function mitreOf(tags: readonly string[], tacticNames: readonly string[] = []): MitreMapping {
  const tactics = new Map<string, MitreTactic>();
  const techniques = new Map<string, MitreTechnique>();
  const used: string[] = [];
  for (const tag of [...tags, ...tacticNames]) {
    const tactic = tacticOf(tag);
    const technique = tactic ? undefined : techniqueOf(tag);
    if (tactic) {
      tactics.set(tactic.id, tactic);
    } else if (technique) {
      techniques.set(technique.id, technique);
    }
    if (tactic || technique) {
      used.push(tag);
    }
  }
  const order = TACTICS.map(([id]) => id);
  return {
    tactics: [...tactics.values()].sort((a, b) => order.indexOf(a.id) - order.indexOf(b.id)),
    techniques: [...techniques.values()],
    tags: used,
  };
}

// One line for a table cell or a search: "Persistence (TA0003); T1059 Command and Scripting Interpreter".
export function mitreLine(m: MitreMapping): string {
  return [
    ...m.tactics.map((t) => `${t.name} (${t.id})`),
    ...m.techniques.map((t) => (t.name ? `${t.id} ${t.name}` : t.id)),
  ].join('; ');
}
