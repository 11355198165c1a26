import React, { useEffect, useState } from 'react';
import { css } from '@emotion/css';
import { GrafanaTheme2 } from '@grafana/data';
import { Alert, Button, Checkbox, LoadingPlaceholder, Stack, Text, useStyles2 } from '@grafana/ui';
import type { Seed } from './draftRows';
import { ExceptionBuilder } from './ExceptionBuilder';
import { FieldCandidate, getTopSources, getTuningFields, SourceCell, TuningSources } from './tuningApi';

interface Props {
  datasourceUid: string;
  rule: string;
  from: number; // ms
  to: number;
}

const MAX_GROUP_FIELDS = 4;

function cellText(c: SourceCell): string {
  switch (c.state) {
    case 'absent':
      return '(not in the output)';
    case 'unresolved':
      return '(Falco could not read it)';
  }
  return c.text;
}

// TopSources is the rule's stored events over the range grouped by candidate exception fields, most frequent first;
// selected rows become the rows of one exception.
export function TopSources({ datasourceUid, rule, from, to }: Props) {
  const styles = useStyles2(getStyles);
  const [candidates, setCandidates] = useState<FieldCandidate[]>();
  const [groupBy, setGroupBy] = useState<string[]>([]);
  const [fieldsError, setFieldsError] = useState<string>();
  // Answers and selections belong to one grouping and range: another one shows nothing of them.
  const key = JSON.stringify([groupBy, from, to]);
  const [answer, setAnswer] = useState<{ key: string; sources?: TuningSources; error?: string }>();
  const [selection, setSelection] = useState<{ key: string; rows: Set<number> }>();
  const [building, setBuilding] = useState<Seed[]>();

  useEffect(() => {
    let live = true;
    getTuningFields(datasourceUid, rule).then(
      (res) => {
        if (live) {
          setCandidates(res.fields);
          setGroupBy(
            res.fields
              .filter((c) => c.checked)
              .map((c) => c.field)
              .slice(0, MAX_GROUP_FIELDS)
          );
        }
      },
      (e: Error) => live && setFieldsError(e.message)
    );
    return () => {
      live = false;
    };
  }, [datasourceUid, rule]);

  useEffect(() => {
    if (groupBy.length === 0) {
      return;
    }
    let live = true;
    getTopSources(datasourceUid, rule, groupBy, from, to).then(
      (sources) => live && setAnswer({ key, sources }),
      (e: Error) => live && setAnswer({ key, error: e.message })
    );
    return () => {
      live = false;
    };
  }, [datasourceUid, rule, groupBy, from, to, key]);
  const sources = groupBy.length > 0 && answer?.key === key ? answer.sources : undefined;
  const error = fieldsError ?? (answer?.key === key ? answer.error : undefined);
  const selected = selection?.key === key ? selection.rows : new Set<number>();

  const toggleGroup = (f: string) =>
    setGroupBy(groupBy.includes(f) ? groupBy.filter((g) => g !== f) : [...groupBy, f].slice(0, MAX_GROUP_FIELDS));
  const toggleRow = (i: number) => {
    const next = new Set(selected);
    next.has(i) ? next.delete(i) : next.add(i);
    setSelection({ key, rows: next });
  };
  const rows = sources?.rows ?? [];
  const seeds = (): Seed[] =>
    rows
      .filter((_, i) => selected.has(i))
      .map((r) => Object.fromEntries(sources!.fields.map((f, k) => [f, r.values[k]?.text ?? ''])));

  return (
    <section aria-label="Top sources of this rule" className={styles.section}>
      <Text element="h4">Top sources of this rule</Text>
      {error && (
        <Alert severity="error" title="The rule's sources could not be loaded">
          {error}
        </Alert>
      )}
      {!candidates && !error && <LoadingPlaceholder text="Loading the rule's sources…" />}
      {candidates && (
        <Stack gap={2} wrap="wrap" alignItems="center">
          <Text color="secondary">Group by</Text>
          {candidates.map((c) => (
            <Checkbox
              key={c.field}
              label={c.field}
              value={groupBy.includes(c.field)}
              onChange={() => toggleGroup(c.field)}
            />
          ))}
        </Stack>
      )}
      {sources?.unavailable && (
        <Alert severity="info" title="Sources cannot be counted">
          {sources.unavailable}
        </Alert>
      )}
      {sources && !sources.unavailable && (
        <>
          <table className={styles.table}>
            <thead>
              <tr>
                <th scope="col">
                  <span className={styles.hidden}>Select</span>
                </th>
                {sources.fields.map((f) => (
                  <th key={f} scope="col">
                    {f}
                  </th>
                ))}
                <th scope="col">Events</th>
                <th scope="col">Share</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((r, i) => {
                const usable = r.values.every((c) => c.state === 'text');
                return (
                  <tr key={i}>
                    <td>
                      <Checkbox
                        aria-label={`Select source ${i + 1}`}
                        value={selected.has(i)}
                        disabled={!usable}
                        title={
                          usable
                            ? undefined
                            : 'A field Falco did not output or could not read cannot be an exception value'
                        }
                        onChange={() => toggleRow(i)}
                      />
                    </td>
                    {r.values.map((c, k) => (
                      <td key={k}>{cellText(c)}</td>
                    ))}
                    <td>{r.count.toLocaleString()}</td>
                    <td>{(r.share * 100).toFixed(1)}%</td>
                  </tr>
                );
              })}
            </tbody>
          </table>
          <Stack gap={2} alignItems="center">
            <Text color="secondary">
              {rows.length < sources.of
                ? `Top ${rows.length} of ${sources.of} sources, ${sources.total.toLocaleString()} events`
                : `${sources.of} sources, ${sources.total.toLocaleString()} events`}
            </Text>
            <Button size="sm" icon="shield" disabled={selected.size === 0} onClick={() => setBuilding(seeds())}>
              Add exception for selected
            </Button>
          </Stack>
        </>
      )}
      {building && (
        <ExceptionBuilder
          datasourceUid={datasourceUid}
          rule={rule}
          seeds={building}
          checkedFields={sources?.fields}
          onDismiss={() => setBuilding(undefined)}
        />
      )}
    </section>
  );
}

const getStyles = (theme: GrafanaTheme2) => ({
  section: css({ display: 'flex', flexDirection: 'column', gap: theme.spacing(1) }),
  hidden: css({ position: 'absolute', width: 1, height: 1, overflow: 'hidden', clip: 'rect(0 0 0 0)' }),
  table: css({
    width: '100%',
    borderCollapse: 'collapse',
    'th, td': {
      padding: theme.spacing(0.5, 1),
      textAlign: 'left',
      overflowWrap: 'anywhere',
      borderBottom: `1px solid ${theme.colors.border.weak}`,
    },
  }),
});
