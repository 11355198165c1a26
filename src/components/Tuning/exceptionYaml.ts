import { Document, isMap, isScalar, isSeq, parseDocument, YAMLMap, YAMLSeq } from 'yaml';
import type { RulesFile } from '../../api/rules';
import type { ExceptionDraft } from './tuningApi';
import { falcoValue } from './falcoValue';

// The file a rule's first exception goes to when no file of the working copy appends exceptions to that rule.
export const TUNING_FILE = 'tuning_exceptions.yaml';

const HEADER = `# Exceptions drafted from stored events (Add exception). Each item appends to a rule's exceptions:
# an exception is the AND of its fields' comparisons, its rows of values ORed.
`;

export interface Inserted {
  files: RulesFile[];
  file: string; // the file that holds the exception
  name: string; // the exception's name there (made unique when the rule already has one by that name)
  appendedTo: boolean; // added to an exception of the same name, fields and comps
}

const str = (n: unknown) => (isScalar(n) ? String(n.value) : undefined);

// appendItemOf finds the item "- rule: NAME ... override: {exceptions: append}" in a parsed rules file.
function appendItemOf(doc: Document, rule: string): YAMLMap | undefined {
  if (!isSeq(doc.contents)) {
    return undefined;
  }
  for (const item of doc.contents.items) {
    if (!isMap(item) || str(item.get('rule', true)) !== rule) {
      continue;
    }
    const override = item.get('override');
    if (isMap(override) && str(override.get('exceptions', true)) === 'append' && isSeq(item.get('exceptions'))) {
      return item;
    }
  }
  return undefined;
}

function exceptionNode(doc: Document, d: ExceptionDraft, name: string) {
  const node = doc.createNode({ name, fields: d.fields, comps: d.comps, values: rowsOf(d) }) as YAMLMap;
  for (const key of ['fields', 'comps']) {
    (node.get(key) as YAMLSeq).flow = true;
  }
  for (const row of (node.get('values') as YAMLSeq).items) {
    (row as YAMLSeq).flow = true;
  }
  return node;
}

const rowsOf = (d: ExceptionDraft) => d.values.map((row) => row.map(falcoValue));

// addException puts a drafted exception in the working copy through the yaml library (never by pasting text): into
// the rule's existing "override: {exceptions: append}" item when a file has one, else as a new item of TUNING_FILE.
// A file that does not parse is left as it is.
export function addException(files: RulesFile[], d: ExceptionDraft): Inserted {
  for (const f of files) {
    const doc = parseDocument(f.content);
    if (doc.errors.length > 0) {
      continue;
    }
    const item = appendItemOf(doc, d.rule);
    if (!item) {
      continue;
    }
    const exceptions = item.get('exceptions') as YAMLSeq;
    const names = exceptions.items.map((e) => (isMap(e) ? str(e.get('name', true)) : undefined));
    const same = exceptions.items.find(
      (e) =>
        isMap(e) &&
        str(e.get('name', true)) === d.name &&
        JSON.stringify((e.get('fields') as YAMLSeq | undefined)?.toJSON()) === JSON.stringify(d.fields) &&
        JSON.stringify((e.get('comps') as YAMLSeq | undefined)?.toJSON()) === JSON.stringify(d.comps)
    ) as YAMLMap | undefined;
    let name = d.name;
    if (same && isSeq(same.get('values'))) {
      const values = same.get('values') as YAMLSeq;
      for (const row of rowsOf(d)) {
        const node = doc.createNode(row) as YAMLSeq;
        node.flow = true;
        values.add(node);
      }
    } else {
      for (let n = 2; names.includes(name); n++) {
        name = `${d.name} (${n})`;
      }
      exceptions.add(exceptionNode(doc, d, name));
    }
    return { files: replaced(files, f.name, doc.toString()), file: f.name, name, appendedTo: Boolean(same) };
  }
  const existing = files.find((f) => f.name === TUNING_FILE);
  const doc: Document = existing ? parseDocument(existing.content) : parseDocument(HEADER);
  if (existing && doc.errors.length > 0) {
    throw new Error(`${TUNING_FILE} has YAML errors; fix them in the Rules editor before adding an exception to it`);
  }
  if (!isSeq(doc.contents)) {
    if (doc.contents !== null && !(isScalar(doc.contents) && doc.contents.value === null)) {
      throw new Error(`${TUNING_FILE} is not a list of rules file items`);
    }
    doc.contents = doc.createNode([]) as YAMLSeq;
  }
  const item = doc.createNode({
    rule: d.rule,
    exceptions: [] as unknown[],
    override: { exceptions: 'append' },
  }) as YAMLMap;
  (item.get('exceptions') as YAMLSeq).add(exceptionNode(doc, d, d.name));
  (item.get('override') as YAMLMap).flow = true;
  (doc.contents as YAMLSeq).add(item);
  const content = doc.toString();
  return {
    files: existing ? replaced(files, TUNING_FILE, content) : [...files, { name: TUNING_FILE, content }],
    file: TUNING_FILE,
    name: d.name,
    appendedTo: false,
  };
}

function replaced(files: RulesFile[], name: string, content: string): RulesFile[] {
  return files.map((f) => (f.name === name ? { name, content } : f));
}
