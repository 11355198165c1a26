import type { RuleDiagnostic } from '../../api/rules';
import { editorColumn, MarkerSeverity, toMarkers } from './markers';

const diag = (d: Partial<RuleDiagnostic>): RuleDiagnostic => ({
  severity: 'error',
  code: 'LOAD_UNKNOWN_FILTER',
  codedesc: 'Unknown field or event-type in condition or output',
  message: 'filter_check called with nonexistent field proc.nme',
  file: 'custom.yaml',
  line: 1,
  column: 1,
  ...d,
});

const text = ['- rule: Shell', '  condition: spawned_process and proc.nme = bash', '  priority: WARNING'].join('\n');

test('underlines the word the diagnostic points at, naming the item', () => {
  const column = text.split('\n')[1].indexOf('proc.nme') + 1;
  const [m] = toMarkers([diag({ line: 2, column, item_type: 'rule', item_name: 'Shell' })], 'custom.yaml', text);
  expect(m).toMatchObject({
    startLineNumber: 2,
    startColumn: column,
    endLineNumber: 2,
    endColumn: column + 'proc.nme'.length,
    severity: MarkerSeverity.Error,
    code: 'LOAD_UNKNOWN_FILTER',
    message: "filter_check called with nonexistent field proc.nme (rule 'Shell')",
  });
});

test('warnings become warning markers and errors error markers', () => {
  const markers = toMarkers(
    [diag({ severity: 'warning', code: 'LOAD_UNUSED_MACRO' }), diag({ severity: 'error' })],
    'custom.yaml',
    text
  );
  expect(markers.map((m) => m.severity)).toEqual([MarkerSeverity.Warning, MarkerSeverity.Error]);
});

test('keeps only the diagnostics of the file shown', () => {
  const markers = toMarkers(
    [diag({ file: 'a.yaml', line: 1 }), diag({ file: 'b.yaml', line: 2 }), diag({ file: 'a.yaml', line: 3 })],
    'a.yaml',
    text
  );
  expect(markers.map((m) => m.startLineNumber)).toEqual([1, 3]);
  expect(toMarkers([diag({ file: 'b.yaml' })], 'c.yaml', text)).toEqual([]);
});

test('pulls a line before the first or after the last back into the text', () => {
  const [fileWide, pastEnd] = toMarkers(
    [diag({ line: 0, column: 0 }), diag({ line: 99, column: 3 })],
    'custom.yaml',
    text
  );
  expect(fileWide).toMatchObject({ startLineNumber: 1, startColumn: 1, endColumn: 2 });
  expect(pastEnd).toMatchObject({ startLineNumber: 3, startColumn: 3 });
});

test('pulls a column past the end of its line back to the end', () => {
  const [m] = toMarkers([diag({ line: 3, column: 80 })], 'custom.yaml', text);
  const end = '  priority: WARNING'.length + 1;
  expect(m).toMatchObject({ startColumn: end, endColumn: end });
});

test('an empty file still gets a marker on its only line', () => {
  const [m] = toMarkers([diag({ line: 5, column: 5, code: 'LOAD_ERR_YAML_VALIDATE' })], 'custom.yaml', '');
  expect(m).toMatchObject({ startLineNumber: 1, startColumn: 1, endLineNumber: 1, endColumn: 1 });
});

test('Windows line ends do not shift columns', () => {
  const [m] = toMarkers([diag({ line: 2, column: 3 })], 'custom.yaml', '- macro: a\r\n  condition: x\r\n');
  expect(m).toMatchObject({ startLineNumber: 2, startColumn: 3, endColumn: 3 + 'condition:'.length });
});

test('columns count characters on the backend and UTF-16 units in Monaco', () => {
  const line = '  output: 🔥 shell by %user.nme';
  const charColumn = Array.from(line).indexOf('%') + 2;
  const [m] = toMarkers([diag({ line: 1, column: charColumn })], 'custom.yaml', line);
  expect(line.slice(m.startColumn - 1, m.endColumn - 1)).toBe('user.nme');
  expect(editorColumn('abc', 2)).toBe(2);
  expect(editorColumn('🔥x', 2)).toBe(3);
});
