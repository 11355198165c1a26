import React, { useEffect, useRef } from 'react';
import { CodeEditor, Monaco, monacoTypes } from '@grafana/ui';
import type { RuleDiagnostic, RulesCatalog } from '../../api/rules';
import { registerRulesCompletion } from './completionProvider';
import { MARKER_OWNER, toMarkers } from './markers';

export interface CursorRequest {
  file: string;
  line: number;
  column: number;
  // Changes on every request, so clicking the same problem twice moves the cursor twice.
  seq: number;
}

interface Props {
  fileName: string;
  content: string;
  diagnostics: RuleDiagnostic[];
  catalog?: RulesCatalog;
  cursor?: CursorRequest;
  onChange: (content: string) => void;
}

// RulesCodeEditor is Monaco with Falco diagnostics as markers and completion from the rules catalog.
export function RulesCodeEditor({ fileName, content, diagnostics, catalog, cursor, onChange }: Props) {
  const editorRef = useRef<monacoTypes.editor.IStandaloneCodeEditor>();
  const monacoRef = useRef<Monaco>();
  const catalogRef = useRef(catalog);
  const completion = useRef<monacoTypes.IDisposable>();
  // CodeEditor keeps the onChange it was mounted with, so it calls through a ref to the current one.
  const onChangeRef = useRef(onChange);
  useEffect(() => {
    catalogRef.current = catalog;
    onChangeRef.current = onChange;
  });

  const setMarkers = () => {
    const model = editorRef.current?.getModel();
    if (model && monacoRef.current) {
      monacoRef.current.editor.setModelMarkers(model, MARKER_OWNER, toMarkers(diagnostics, fileName, model.getValue()));
    }
  };

  useEffect(setMarkers);

  const cursorRef = useRef(cursor);
  useEffect(() => {
    cursorRef.current = cursor;
  });

  // moveCursor honours a request for this file; one made before Monaco mounted is honoured when it does.
  const moveCursor = (request: CursorRequest | undefined) => {
    const editor = editorRef.current;
    if (request?.file === fileName && editor) {
      editor.setPosition({ lineNumber: request.line, column: request.column });
      editor.revealPositionInCenter({ lineNumber: request.line, column: request.column });
      editor.focus();
    }
  };

  // eslint-disable-next-line react-hooks/exhaustive-deps
  useEffect(() => moveCursor(cursor), [cursor]);

  useEffect(() => () => completion.current?.dispose(), []);

  return (
    <CodeEditor
      key={fileName}
      language="yaml"
      value={content}
      height={420}
      showLineNumbers
      showMiniMap={false}
      onChange={(text) => onChangeRef.current(text)}
      onEditorDidMount={(editor, monaco) => {
        editorRef.current = editor;
        monacoRef.current = monaco;
        completion.current?.dispose();
        completion.current = registerRulesCompletion(monaco, editor, () => catalogRef.current);
        setMarkers();
        moveCursor(cursorRef.current);
      }}
      onEditorWillUnmount={() => {
        completion.current?.dispose();
        completion.current = undefined;
      }}
    />
  );
}
