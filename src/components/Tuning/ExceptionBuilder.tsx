import React, { useEffect, useMemo, useState } from 'react';
import { css } from '@emotion/css';
import { GrafanaTheme2 } from '@grafana/data';
import {
  Alert,
  Button,
  Checkbox,
  Field,
  IconButton,
  Input,
  LoadingPlaceholder,
  Modal,
  RadioButtonGroup,
  Stack,
  Text,
  useStyles2,
} from '@grafana/ui';
import { draftName, draftProblems, rowsFor, Seed } from './draftRows';
import { valueProblem } from './falcoValue';
import { openInRulesEditor } from './openInRulesEditor';
import { ExceptionPreview } from './ExceptionPreview';
import { ExceptionDraft, FieldCandidate, getTuningFields, previewException, TuningPreview } from './tuningApi';

interface Props {
  datasourceUid: string;
  rule: string;
  seeds: Seed[]; // the selected events' or sources' values by field
  checkedFields?: string[]; // the fields to start with checked (the sources table's grouping); else the suggested ones
  onDismiss: () => void;
}

// ExceptionBuilder drafts a Falco exception for a rule from selected events: fields checked, a comparison per field,
// values from the selection, with a live preview of what it would have silenced, then hands it to the Rules editor.
export function ExceptionBuilder({ datasourceUid, rule, seeds, checkedFields, onDismiss }: Props) {
  const styles = useStyles2(getStyles);
  const [candidates, setCandidates] = useState<FieldCandidate[]>();
  const [loadError, setLoadError] = useState<string>();
  const [checked, setChecked] = useState<Record<string, boolean>>({});
  const [comps, setComps] = useState<Record<string, string>>({});
  const [compChoices, setCompChoices] = useState<string[]>(['=']);
  const [rows, setRows] = useState<string[][]>();
  const [name, setName] = useState<string>();
  // The last answer, for the draft it was asked for: an answer for an older draft is never shown.
  const [answer, setAnswer] = useState<{ key: string; preview?: TuningPreview; error?: string }>();
  const [openError, setOpenError] = useState<string>();

  useEffect(() => {
    let live = true;
    getTuningFields(datasourceUid, rule).then(
      (res) => {
        if (!live) {
          return;
        }
        // Fields the selection holds that the rule's recent events did not show are still offered.
        const extra = (checkedFields ?? [])
          .filter((f) => !res.fields.some((c) => c.field === f))
          .map((f) => ({ field: f, type: 'CHARBUF', comp: '=', checked: true }));
        const all = [...res.fields, ...extra];
        setCandidates(all);
        setCompChoices(res.comps.length > 0 ? res.comps : ['=']);
        setChecked(
          Object.fromEntries(all.map((c) => [c.field, checkedFields ? checkedFields.includes(c.field) : c.checked]))
        );
        setComps(Object.fromEntries(all.map((c) => [c.field, c.comp])));
      },
      (e: Error) => live && setLoadError(e.message)
    );
    return () => {
      live = false;
    };
  }, [datasourceUid, rule, checkedFields]);

  const fields = useMemo(
    () => (candidates ?? []).filter((c) => checked[c.field]).map((c) => c.field),
    [candidates, checked]
  );
  const shownRows = useMemo(() => rows ?? rowsFor(seeds, fields), [rows, seeds, fields]);
  const draft: ExceptionDraft = useMemo(
    () => ({
      rule,
      name: name ?? draftName(shownRows),
      fields,
      comps: fields.map((f) => comps[f] ?? '='),
      values: shownRows,
    }),
    [rule, name, shownRows, fields, comps]
  );
  const problems = draftProblems(draft, valueProblem);

  // The preview follows the draft, a moment after the last edit.
  const key = JSON.stringify(draft);
  const ready = Boolean(candidates) && problems.length === 0;
  useEffect(() => {
    if (!ready) {
      return;
    }
    let live = true;
    const timer = setTimeout(() => {
      previewException(datasourceUid, JSON.parse(key)).then(
        (preview) => live && setAnswer({ key, preview }),
        (e: Error) => live && setAnswer({ key, error: e.message })
      );
    }, 300);
    return () => {
      live = false;
      clearTimeout(timer);
    };
  }, [datasourceUid, key, ready]);
  const preview = ready && answer?.key === key ? answer.preview : undefined;
  const previewError = ready && answer?.key === key ? answer.error : undefined;

  const toggle = (field: string) => {
    setChecked({ ...checked, [field]: !checked[field] });
    setRows(undefined); // the rows follow the checked fields again
  };
  const setValue = (i: number, k: number, v: string) =>
    setRows(shownRows.map((row, r) => (r === i ? row.map((old, c) => (c === k ? v : old)) : row)));

  return (
    <Modal title={`Add exception to ${rule}`} isOpen onDismiss={onDismiss}>
      {loadError && (
        <Alert severity="error" title="The rule's fields could not be loaded">
          {loadError}
        </Alert>
      )}
      {!candidates && !loadError && <LoadingPlaceholder text="Loading the rule's fields…" />}
      {candidates && (
        <Stack direction="column" gap={2}>
          <Field label="Exception name">
            <Input value={draft.name} onChange={(e) => setName(e.currentTarget.value)} />
          </Field>
          <section aria-label="Fields">
            <Text element="h5">Fields</Text>
            <Text color="secondary">
              Falco silences an event when every checked field compares true for one row of values.
            </Text>
            <Stack direction="column" gap={1}>
              {candidates.map((c) => (
                <Stack key={c.field} gap={2} alignItems="center" wrap="wrap">
                  <Checkbox
                    label={c.field}
                    description={c.note}
                    value={Boolean(checked[c.field])}
                    onChange={() => toggle(c.field)}
                  />
                  {checked[c.field] && (
                    <RadioButtonGroup
                      size="sm"
                      aria-label={`Comparison for ${c.field}`}
                      options={compChoices.map((op) => ({
                        label: op,
                        value: op,
                        description: `${c.field} ${op} value`,
                      }))}
                      value={comps[c.field] ?? '='}
                      onChange={(op) => setComps({ ...comps, [c.field]: op })}
                    />
                  )}
                </Stack>
              ))}
            </Stack>
          </section>
          {fields.length > 0 && (
            <section aria-label="Values">
              <Text element="h5">Values</Text>
              {/* One column per checked field, named above its inputs: which box is which field stays visible. */}
              <div className={styles.values(fields.length)}>
                {fields.map((f) => (
                  <Text key={f} variant="bodySmall" color="secondary" truncate>
                    {f}
                  </Text>
                ))}
                <span />
                {shownRows.map((row, i) => (
                  <React.Fragment key={i}>
                    {row.map((v, k) => (
                      <Input
                        key={fields[k]}
                        aria-label={`${fields[k]} value, row ${i + 1}`}
                        value={v}
                        onChange={(e) => setValue(i, k, e.currentTarget.value)}
                      />
                    ))}
                    <IconButton
                      name="trash-alt"
                      tooltip={`Remove row ${i + 1}`}
                      onClick={() => setRows(shownRows.filter((_, r) => r !== i))}
                    />
                  </React.Fragment>
                ))}
              </div>
            </section>
          )}
          {problems.length > 0 && (
            <Alert severity="info" title="Not ready to preview">
              {problems.join('. ')}
            </Alert>
          )}
          {previewError && (
            <Alert severity="error" title="The preview could not be computed">
              {previewError}
            </Alert>
          )}
          {preview && problems.length === 0 && <ExceptionPreview preview={preview} />}
          {openError && (
            <Alert severity="error" title="The exception was not added">
              {openError}
            </Alert>
          )}
        </Stack>
      )}
      <Modal.ButtonRow>
        <Button variant="secondary" fill="outline" onClick={onDismiss}>
          Cancel
        </Button>
        <Button
          disabled={!candidates || problems.length > 0}
          onClick={() => {
            try {
              openInRulesEditor(datasourceUid, draft);
              onDismiss();
            } catch (e) {
              setOpenError(e instanceof Error ? e.message : String(e));
            }
          }}
        >
          Open in Rules editor
        </Button>
      </Modal.ButtonRow>
    </Modal>
  );
}

const getStyles = (theme: GrafanaTheme2) => ({
  values: (columns: number) =>
    css({
      display: 'grid',
      gridTemplateColumns: `repeat(${columns}, minmax(0, 1fr)) auto`,
      gap: theme.spacing(1),
      alignItems: 'center',
    }),
});
