import { Document, isMap, isScalar, isSeq, parseDocument, YAMLMap, YAMLSeq } from 'yaml';
import type { RulesFile } from '../../api/rules';

// One exception a rules file puts on a rule: a named entry of the `exceptions` of an item with that rule's name (an
// `override: {exceptions: append}` of a default rule, or the rule's own definition).
export interface FoundException {
  file: string;
  item: number; // the item's index in the file's top-level list
  name: string;
  fields: string[];
  values: unknown[];
}

// A file whose exceptions cannot be read: it is named, never edited.
export interface UnreadableFile {
  file: string;
  problem: string;
}

function scalarText(node: unknown): string | undefined {
  return isScalar(node) && typeof node.value === 'string' ? node.value : undefined;
}

// findExceptions lists the exceptions every file puts on `rule`, in file and load order.
export function findExceptions(
  files: RulesFile[],
  rule: string
): { found: FoundException[]; unreadable: UnreadableFile[] } {
  const found: FoundException[] = [];
  const unreadable: UnreadableFile[] = [];
  for (const f of files) {
    const doc = parseDocument(f.content);
    if (doc.errors.length > 0) {
      unreadable.push({ file: f.name, problem: doc.errors[0].message });
      continue;
    }
    if (!isSeq(doc.contents)) {
      continue;
    }
    doc.contents.items.forEach((item, index) => {
      if (!isMap(item) || scalarText(item.get('rule', true)) !== rule) {
        return;
      }
      const exceptions = item.get('exceptions', true);
      if (!isSeq(exceptions)) {
        return;
      }
      for (const e of exceptions.items) {
        const name = isMap(e) ? scalarText(e.get('name', true)) : undefined;
        if (!isMap(e) || name === undefined) {
          continue;
        }
        const plain = e.toJSON() as { fields?: unknown; values?: unknown };
        const fields = Array.isArray(plain.fields)
          ? plain.fields.map(String)
          : plain.fields
            ? [String(plain.fields)]
            : [];
        found.push({
          file: f.name,
          item: index,
          name,
          fields,
          values: Array.isArray(plain.values) ? plain.values : [],
        });
      }
    });
  }
  return { found, unreadable };
}

// True for `override: {exceptions: append}` with nothing else to override.
function onlyAppendsExceptions(item: YAMLMap): boolean {
  const override = item.get('override', true);
  return (
    isMap(override) &&
    override.items.length === 1 &&
    scalarText(override.get('exceptions', true)) === 'append' &&
    item.items.every((p) => ['rule', 'exceptions', 'override'].includes(String(isScalar(p.key) ? p.key.value : p.key)))
  );
}

// keepComment moves the comment above a removed item to what follows it (or the end of the file): it may head the file.
function keepComment(doc: Document, list: YAMLSeq, index: number, removed: YAMLMap) {
  const comment = removed.commentBefore;
  if (!comment) {
    return;
  }
  const next = list.items[index] as YAMLMap | undefined;
  if (next) {
    // It takes the removed item's place, blank line before or not.
    next.spaceBefore = removed.spaceBefore;
    next.commentBefore = next.commentBefore ? `${comment}\n${next.commentBefore}` : comment;
  } else if (index === 0) {
    doc.commentBefore = doc.commentBefore ? `${doc.commentBefore}\n${comment}` : comment;
  } else {
    doc.comment = doc.comment ? `${doc.comment}\n${comment}` : comment;
  }
}

// removeException returns the file's text without one exception, edited through the yaml library's document so the
// other items, their comments and layout stay. An item left with nothing to add goes; so does an emptied
// `exceptions: append`. Undefined when the file no longer has that exception (it changed since it was listed).
export function removeException(
  content: string,
  at: Pick<FoundException, 'item' | 'name'>,
  rule: string
): string | undefined {
  const doc = parseDocument(content);
  if (doc.errors.length > 0 || !isSeq(doc.contents)) {
    return undefined;
  }
  const list = doc.contents as YAMLSeq;
  const item = list.items[at.item];
  if (!isMap(item) || scalarText(item.get('rule', true)) !== rule) {
    return undefined;
  }
  const exceptions = item.get('exceptions', true);
  if (!isSeq(exceptions)) {
    return undefined;
  }
  const index = exceptions.items.findIndex((e) => isMap(e) && scalarText(e.get('name', true)) === at.name);
  if (index < 0) {
    return undefined;
  }
  exceptions.items.splice(index, 1);
  if (exceptions.items.length === 0) {
    if (onlyAppendsExceptions(item)) {
      list.items.splice(at.item, 1);
      keepComment(doc, list, at.item, item);
    } else {
      item.delete('exceptions');
      const override = item.get('override', true);
      if (isMap(override) && override.has('exceptions')) {
        override.delete('exceptions');
        if (override.items.length === 0) {
          item.delete('override');
        }
      }
    }
  }
  // Flow lists as Falco's own files write them ([a, b]), not the library's default [ a, b ].
  return doc.toString({ flowCollectionPadding: false });
}
