import React, { useEffect, useRef } from 'react';

// Monaco does not run in jsdom: tests replace @grafana/ui's CodeEditor with this textarea, which hands its callbacks a
// fake editor and monaco that record what the rules editor asks of them. Only the editor is faked, never our logic.
export const fakeMonaco = {
  languages: {
    registerCompletionItemProvider: jest.fn(),
    CompletionItemKind: { Field: 3, Operator: 11, Function: 1, Snippet: 27, Enum: 15, Keyword: 17, Value: 12 },
  },
  editor: { setModelMarkers: jest.fn() },
};
export const completionDisposed = jest.fn();

export interface FakeEditor {
  model: { getValue: () => string; getLinesContent: () => string[] };
  getModel: () => FakeEditor['model'];
  setPosition: jest.Mock;
  revealPositionInCenter: jest.Mock;
  focus: jest.Mock;
}
export const editors: FakeEditor[] = [];

export function resetFakeMonaco() {
  editors.length = 0;
  completionDisposed.mockReset();
  fakeMonaco.editor.setModelMarkers.mockReset();
  fakeMonaco.languages.registerCompletionItemProvider.mockReset().mockReturnValue({ dispose: completionDisposed });
}

interface Props {
  value: string;
  onChange?: (v: string) => void;
  onEditorDidMount?: (editor: unknown, monaco: unknown) => void;
  onEditorWillUnmount?: () => void;
}

export function FakeCodeEditor({ value, onChange, onEditorDidMount, onEditorWillUnmount }: Props) {
  const valueRef = useRef(value);
  useEffect(() => {
    valueRef.current = value;
  });
  useEffect(() => {
    let mounted = false;
    let unmounted = false;
    // Monaco loads lazily: the editor mounts after the component has rendered, as in Grafana.
    Promise.resolve().then(() => {
      if (unmounted) {
        return;
      }
      const model = { getValue: () => valueRef.current, getLinesContent: () => valueRef.current.split('\n') };
      const editor: FakeEditor = {
        model,
        getModel: () => model,
        setPosition: jest.fn(),
        revealPositionInCenter: jest.fn(),
        focus: jest.fn(),
      };
      editors.push(editor);
      mounted = true;
      onEditorDidMount?.(editor, fakeMonaco);
    });
    return () => {
      unmounted = true;
      if (mounted) {
        onEditorWillUnmount?.();
      }
    };
    // Mount and unmount only, as Monaco does.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);
  return <textarea aria-label="Rules file" value={value} onChange={(e) => onChange?.(e.target.value)} />;
}
