import React, { useEffect, useMemo, useState } from 'react';
import { locationService } from '@grafana/runtime';
import { Alert, Button, ConfirmModal, Stack, Text } from '@grafana/ui';
import { getRelease, listReleases, Release } from '../../api/deploy';
import type { RulesFile } from '../../api/rules';
import { prefixRoute, ROUTES } from '../../constants';
import { editsLostByLoading, loadBaseline, saveBaseline } from '../Deploy/baseline';
import { loadWorkingCopy, saveWorkingCopy } from '../RuleEditor/workingCopy';
import { FoundException, findExceptions, removeException } from './ruleExceptions';

type Deployed =
  { kind: 'loading' } | { kind: 'none'; why: string } | { kind: 'found'; release: Release; files: RulesFile[] };

interface Row {
  exception: FoundException;
  // Where it was found: the working copy wins when both have it.
  from: 'working copy' | 'deployed';
}

const valuesText = (values: unknown[]) => values.map((v) => JSON.stringify(v)).join(', ');

// "Remove this exception": the exceptions the project's custom rules put on this rule, from the Rules editor's working
// copy and the deployed release; removing one prepares the working copy without it, for the normal plan and deploy.
export function RemoveException({ datasourceUid, rule }: { datasourceUid: string; rule: string }) {
  const working = useMemo(() => loadWorkingCopy(datasourceUid).files, [datasourceUid]);
  const [deployed, setDeployed] = useState<Deployed>({ kind: 'loading' });
  const [confirm, setConfirm] = useState<{ row: Row; lost: string[] }>();
  const [problem, setProblem] = useState<string>();

  useEffect(() => {
    let live = true;
    listReleases(datasourceUid)
      .then((rels) => {
        if (rels.length !== 1) {
          throw new Error(
            rels.length === 0
              ? 'no Falco release found'
              : `${rels.length} Falco releases: open the Rules page to choose one`
          );
        }
        return getRelease(datasourceUid, rels[0]);
      })
      .then(
        (r) => live && setDeployed({ kind: 'found', release: r.release, files: r.files }),
        (e: Error) => live && setDeployed({ kind: 'none', why: e.message })
      );
    return () => {
      live = false;
    };
  }, [datasourceUid]);

  const inWorking = findExceptions(working, rule);
  const inDeployed = deployed.kind === 'found' ? findExceptions(deployed.files, rule) : { found: [], unreadable: [] };
  const key = (e: FoundException) => `${e.file}\u0000${e.name}`;
  const workingKeys = new Set(inWorking.found.map(key));
  const rows: Row[] = [
    ...inWorking.found.map((exception) => ({ exception, from: 'working copy' as const })),
    ...inDeployed.found
      .filter((e) => !workingKeys.has(key(e)))
      .map((exception) => ({ exception, from: 'deployed' as const })),
  ];

  const remove = (row: Row, confirmed = false) => {
    const base = row.from === 'working copy' || deployed.kind !== 'found' ? working : deployed.files;
    if (row.from === 'deployed' && deployed.kind === 'found' && !confirmed) {
      const lost = editsLostByLoading(working, deployed.files, loadBaseline(datasourceUid)?.files);
      if (lost.length > 0) {
        setConfirm({ row, lost });
        return;
      }
    }
    const e = row.exception;
    const file = base.find((f) => f.name === e.file);
    const content = file && removeException(file.content, e, rule);
    if (content === undefined) {
      setProblem(`${e.file} changed since it was read: reload this page and try again`);
      return;
    }
    const files = base.map((f) => (f.name === e.file ? { ...f, content } : f));
    const failed = saveWorkingCopy(datasourceUid, files);
    if (failed) {
      setProblem(`The working copy could not be saved in this browser: ${failed}`);
      return;
    }
    if (row.from === 'deployed' && deployed.kind === 'found') {
      const { namespace, name, revision } = deployed.release;
      saveBaseline(datasourceUid, { namespace, name, revision, files: deployed.files });
    }
    locationService.push(prefixRoute(ROUTES.Rules));
  };

  const unreadable = [...inWorking.unreadable, ...inDeployed.unreadable];
  return (
    <section aria-label="Exceptions on this rule">
      <Stack direction="column" gap={1}>
        <Text element="h3" variant="h5">
          Exceptions on this rule
        </Text>
        {rows.length === 0 && deployed.kind !== 'loading' && (
          <Text color="secondary">
            Neither the Rules editor&apos;s working copy nor the deployed custom rules add an exception to this rule.
          </Text>
        )}
        {rows.map((row) => (
          <Stack key={`${row.from}${key(row.exception)}`} gap={1} alignItems="center" wrap="wrap">
            <Text>
              <strong>{row.exception.name}</strong> in {row.exception.file} ({row.from}
              {row.from === 'deployed' && deployed.kind === 'found'
                ? `, revision ${deployed.release.revision}`
                : ''}): {row.exception.fields.join(', ')} = {valuesText(row.exception.values)}
            </Text>
            <Button size="sm" variant="secondary" icon="trash-alt" onClick={() => remove(row)}>
              Remove exception {row.exception.name}
            </Button>
          </Stack>
        ))}
        {deployed.kind === 'none' && (
          <Text color="secondary">
            The deployed rules could not be read ({deployed.why}): only the working copy is listed.
          </Text>
        )}
        {unreadable.map((u) => (
          <Text key={u.file} color="secondary">
            {u.file} cannot be read ({u.problem}): its exceptions are not listed.
          </Text>
        ))}
        {problem && (
          <Alert severity="error" title="The exception was not removed">
            {problem}
          </Alert>
        )}
      </Stack>
      {confirm && (
        <ConfirmModal
          isOpen
          title="Replace the working copy?"
          body={`The Rules editor's working copy has edits that are not deployed (${confirm.lost.join(', ')}). Removing this exception starts from the deployed rules and replaces them.`}
          confirmText="Replace and remove"
          onConfirm={() => {
            const row = confirm.row;
            setConfirm(undefined);
            remove(row, true);
          }}
          onDismiss={() => setConfirm(undefined)}
        />
      )}
    </section>
  );
}
