import React, { ReactNode, useMemo, useState } from 'react';
import { Alert, Button, Stack, Text } from '@grafana/ui';
import { locationService } from '@grafana/runtime';
import { getLabRules, RuleDiagnostic, RulesFile } from '../../api/rules';
import { isUnreachable } from '../../api/unreachable';
import { EffectiveRules } from './EffectiveRules';
import { FileTabs } from './FileTabs';
import { editorColumn } from './markers';
import { ProblemsList } from './ProblemsList';
import { CursorRequest, RulesCodeEditor } from './RulesCodeEditor';
import { ruleEditorTestIds } from './testIds';
import { useRulesCatalog } from './useRulesCatalog';
import { useRulesValidation } from './useRulesValidation';
import { loadWorkingCopy, newFileName, saveWorkingCopy, withLabFiles } from './workingCopy';
import type { WorkingCopyHandle } from './workingCopyHandle';

interface Props {
  datasourceUid: string;
  // Panels that work on the working copy: above the files (where it comes from), below the problems (where it goes).
  above?: (workingCopy: WorkingCopyHandle) => ReactNode;
  below?: (workingCopy: WorkingCopyHandle) => ReactNode;
}

const count = (n: number, noun: string) => `${n} ${noun}${n === 1 ? '' : 's'}`;

// RuleEditor edits custom Falco rules files, validating them through the Falco datasource as the user types.
export function RuleEditor(props: Props) {
  // Another datasource means another working copy: start afresh rather than carry state across.
  return <DatasourceRuleEditor key={props.datasourceUid} {...props} />;
}

// problemKey keeps a problem the backend reported and the live validation found from being listed twice.
const problemKey = (d: RuleDiagnostic) => `${d.file}:${d.line}:${d.column}:${d.code}:${d.message}`;

function DatasourceRuleEditor({ datasourceUid, above, below }: Props) {
  const [loaded] = useState(() => loadWorkingCopy(datasourceUid));
  const [files, setFilesState] = useState<RulesFile[]>(loaded.files);
  const [reported, setReported] = useState<RuleDiagnostic[]>([]);
  // Any edit makes problems reported for the previous content stale.
  const setFiles: typeof setFilesState = (next) => {
    setReported([]);
    setFilesState(next);
  };
  // ?file= opens that file first (Add exception opens the file it wrote).
  const [active, setActive] = useState(() => {
    const asked = locationService.getSearchObject().file;
    return loaded.files.find((f) => f.name === asked)?.name ?? loaded.files[0]?.name ?? '';
  });
  const [cursor, setCursor] = useState<CursorRequest>();
  const [labError, setLabError] = useState<string>();
  const { catalog, error: catalogError } = useRulesCatalog(datasourceUid);
  const validation = useRulesValidation(datasourceUid, files);
  const diagnostics = useMemo(() => {
    const live = validation.result?.diagnostics ?? [];
    const seen = new Set(live.map(problemKey));
    return [...live, ...reported.filter((d) => !seen.has(problemKey(d)))];
  }, [validation.result, reported]);
  const activeFile = files.find((f) => f.name === active) ?? files[0];

  const saveError = useMemo(() => saveWorkingCopy(datasourceUid, files), [datasourceUid, files]);

  const errorsByFile = useMemo(() => {
    const counts: Record<string, number> = {};
    diagnostics.filter((d) => d.severity === 'error').forEach((d) => (counts[d.file] = (counts[d.file] ?? 0) + 1));
    return counts;
  }, [diagnostics]);

  const goTo = (d: RuleDiagnostic) => {
    setActive(d.file);
    const lines = (files.find((f) => f.name === d.file)?.content ?? '').split(/\r?\n/);
    const line = Math.min(Math.max(d.line, 1), lines.length);
    const column = editorColumn(lines[line - 1], d.column);
    setCursor((c) => ({ file: d.file, line, column, seq: (c?.seq ?? 0) + 1 }));
  };

  const loadLab = async () => {
    setLabError(undefined);
    try {
      const lab = await getLabRules(datasourceUid);
      setFiles((fs) => withLabFiles(fs, lab));
    } catch (e) {
      setLabError(e instanceof Error ? e.message : String(e));
    }
  };

  const errors = diagnostics.filter((d) => d.severity === 'error').length;
  const handle: WorkingCopyHandle = {
    datasourceUid,
    files,
    errorCount: (validation.result?.diagnostics ?? []).filter((d) => d.severity === 'error').length,
    replaceFiles: (next) => {
      setFiles(next);
      setCursor(undefined);
      setActive(next[0]?.name ?? '');
    },
    showProblems: (problems) => {
      setReported(problems);
      if (problems[0]) {
        goTo(problems[0]);
      }
    },
    goTo,
  };
  const r = validation.result;
  const status = validation.pending
    ? 'Validating…'
    : r
      ? `${count(errors, 'error')}, ${count(diagnostics.length - errors, 'warning')} · ${count(r.rules.length, 'rule')} in effect with the default ruleset · your files define ${count(r.macros, 'macro')} and ${count(r.lists, 'list')}`
      : '';

  return (
    <Stack direction="column" gap={2}>
      <Alert severity="info" title="Working copy in this browser">
        These files are kept in this browser for the Falco datasource &quot;{datasourceUid}&quot; and validated by it as
        you type. They stay local until you deploy them: deploying needs the datasource&apos;s cluster settings and the
        Admin role. The export works for everyone.
      </Alert>
      {above?.(handle)}
      {saveError && (
        <Alert severity="error" title="This browser did not keep the latest edits">
          {saveError}. They stay in the editor until the page is closed: copy them somewhere safe.
        </Alert>
      )}
      {loaded.keptAside && (
        <Alert severity="warning" title="The saved working copy could not be read">
          It was kept in local storage under {loaded.keptAside}; the editor started from the example file.
        </Alert>
      )}
      {loaded.renamed && (
        <Alert severity="warning" title="Some saved files had names the editor cannot use">
          They were renamed: {loaded.renamed.map((r) => `"${r.from}" → ${r.to}`).join(', ')}.
        </Alert>
      )}
      <FileTabs
        files={files}
        active={activeFile?.name ?? ''}
        errorsByFile={errorsByFile}
        onSelect={(name) => {
          // A tab chosen by hand opens where the user left it, not at an old problem.
          setCursor(undefined);
          setActive(name);
        }}
        onAdd={() => {
          const name = newFileName(files.map((f) => f.name));
          setFiles([...files, { name, content: '' }]);
          setActive(name);
        }}
        onRename={(from, to) => {
          setFiles(files.map((f) => (f.name === from ? { ...f, name: to } : f)));
          setActive(to);
        }}
        onRemove={(name) => {
          const rest = files.filter((f) => f.name !== name);
          setFiles(rest);
          setActive(rest[0]?.name ?? '');
        }}
      />
      {activeFile && (
        <div data-testid={ruleEditorTestIds.editor}>
          <RulesCodeEditor
            fileName={activeFile.name}
            content={activeFile.content}
            diagnostics={diagnostics}
            catalog={catalog}
            cursor={cursor}
            onChange={(content) =>
              setFiles((fs) => fs.map((f) => (f.name === activeFile.name ? { ...f, content } : f)))
            }
          />
        </div>
      )}
      <Stack gap={2} alignItems="center">
        <Text color="secondary" data-testid={ruleEditorTestIds.status}>
          {status}
        </Text>
        <Button size="sm" variant="secondary" icon="import" onClick={loadLab} data-testid={ruleEditorTestIds.loadLab}>
          Load the shipped lab rules
        </Button>
      </Stack>
      {validation.error && (
        <Alert
          severity="error"
          title={
            isUnreachable(validation.error)
              ? "The Falco datasource's backend is not answering: the rules could not be validated"
              : 'The Falco datasource could not validate the rules'
          }
        >
          {validation.error}
          {isUnreachable(validation.error) &&
            '. Your edits stay in this browser. Check that Grafana is up and that its log shows the Falco datasource plugin running; validation runs again at your next edit.'}
        </Alert>
      )}
      {catalogError && (
        <Alert severity="warning" title="Autocomplete is unavailable">
          {catalogError}
        </Alert>
      )}
      {labError && (
        <Alert severity="warning" title="The shipped lab rules could not be loaded">
          {labError}
        </Alert>
      )}
      <div data-testid={ruleEditorTestIds.problems}>
        <ProblemsList diagnostics={diagnostics} fileNames={files.map((f) => f.name)} onSelect={goTo} />
      </div>
      {below?.(handle)}
      {validation.result && <EffectiveRules rules={validation.result.rules} files={files} />}
    </Stack>
  );
}
