import type { Monaco, monacoTypes } from '@grafana/ui';
import type { RulesCatalog } from '../../api/rules';
import { contextAt, namesDefinedIn, Suggestion, suggestionsFor, wordStart } from './completion';

// completionAt is what the provider answers at a position: the suggestions and where the typed token starts.
export function completionAt(lines: string[], lineNumber: number, column: number, catalog: RulesCatalog | undefined) {
  const textBefore = (lines[lineNumber - 1] ?? '').slice(0, column - 1);
  const ctx = contextAt(lines, lineNumber, column);
  const suggestions = suggestionsFor(ctx, catalog, textBefore, namesDefinedIn(lines.join('\n')));
  return { suggestions, startColumn: wordStart(textBefore) };
}

function itemKind(monaco: Monaco, kind: Suggestion['kind']): monacoTypes.languages.CompletionItemKind {
  const k = monaco.languages.CompletionItemKind;
  const kinds: Record<Suggestion['kind'], monacoTypes.languages.CompletionItemKind> = {
    field: k.Field,
    operator: k.Operator,
    function: k.Function,
    macro: k.Snippet,
    list: k.Enum,
    keyword: k.Keyword,
    value: k.Value,
  };
  return kinds[kind];
}

// registerRulesCompletion offers the catalog's names in one editor's model; the caller disposes it on unmount.
export function registerRulesCompletion(
  monaco: Monaco,
  editor: monacoTypes.editor.IStandaloneCodeEditor,
  getCatalog: () => RulesCatalog | undefined
): monacoTypes.IDisposable {
  return monaco.languages.registerCompletionItemProvider('yaml', {
    triggerCharacters: ['%', '.', ' '],
    provideCompletionItems: (model, position) => {
      // Providers are global per language: answer only in this editor's model.
      if (model !== editor.getModel()) {
        return { suggestions: [] };
      }
      const { suggestions, startColumn } = completionAt(
        model.getLinesContent(),
        position.lineNumber,
        position.column,
        getCatalog()
      );
      const range = {
        startLineNumber: position.lineNumber,
        endLineNumber: position.lineNumber,
        startColumn,
        endColumn: position.column,
      };
      return {
        suggestions: suggestions.map((s) => ({
          label: s.label,
          kind: itemKind(monaco, s.kind),
          detail: s.detail,
          insertText: s.insertText,
          range,
        })),
      };
    },
  });
}
