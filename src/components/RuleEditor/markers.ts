import type { RuleDiagnostic } from '../../api/rules';

// Monaco's MarkerSeverity values; kept here so the mapping is testable without loading Monaco.
export const MarkerSeverity = { Warning: 4, Error: 8 } as const;

// The owner under which the editor's markers are set, so ours replace only ours.
export const MARKER_OWNER = 'falco-rules';

export interface EditorMarker {
  startLineNumber: number;
  startColumn: number;
  endLineNumber: number;
  endColumn: number;
  message: string;
  severity: number;
  code: string;
  source: string;
}

function clamp(n: number, min: number, max: number): number {
  return Math.min(Math.max(Number.isFinite(n) ? n : min, min), max);
}

// editorColumn turns the backend's column (characters, as yaml.v3 counts) into Monaco's (UTF-16 code units), which
// differ after an emoji or any character outside the Basic Multilingual Plane.
export function editorColumn(lineText: string, charColumn: number): number {
  return (
    Array.from(lineText)
      .slice(0, Math.max(charColumn - 1, 0))
      .join('').length + 1
  );
}

// toMarkers keeps the diagnostics of one file and underlines the word each one points at; positions outside the
// text (line 0 for file-wide problems, a column past the end) are pulled back inside it.
export function toMarkers(diagnostics: RuleDiagnostic[], fileName: string, text: string): EditorMarker[] {
  const lines = text.split(/\r?\n/);
  return diagnostics
    .filter((d) => d.file === fileName)
    .map((d) => {
      const line = clamp(d.line, 1, lines.length);
      const lineText = lines[line - 1];
      const startColumn = clamp(editorColumn(lineText, d.column), 1, lineText.length + 1);
      const word = /^[^\s,()]+/.exec(lineText.slice(startColumn - 1))?.[0] ?? '';
      return {
        startLineNumber: line,
        startColumn,
        endLineNumber: line,
        endColumn: word.length > 0 ? startColumn + word.length : Math.min(startColumn + 1, lineText.length + 1),
        message: d.item_name ? `${d.message} (${d.item_type ?? 'item'} '${d.item_name}')` : d.message,
        severity: d.severity === 'error' ? MarkerSeverity.Error : MarkerSeverity.Warning,
        code: d.code,
        source: 'Falco rules',
      };
    });
}
