import React, { useState } from 'react';
import { Button, ConfirmButton, Field, Input, Stack, Tab, TabsBar } from '@grafana/ui';
import type { RulesFile } from '../../api/rules';
import { fileNameProblem } from './workingCopy';

interface Props {
  files: RulesFile[];
  active: string;
  errorsByFile: Record<string, number>;
  onSelect: (name: string) => void;
  onAdd: () => void;
  onRename: (from: string, to: string) => void;
  onRemove: (name: string) => void;
}

// FileTabs switches between the custom rules files and adds, renames and removes them.
export function FileTabs({ files, active, errorsByFile, onSelect, onAdd, onRename, onRemove }: Props) {
  const [renaming, setRenaming] = useState<string>();
  const others = files.map((f) => f.name).filter((n) => n !== active);
  const problem = renaming === undefined ? undefined : fileNameProblem(renaming, others);

  return (
    <Stack direction="column" gap={1}>
      <TabsBar>
        {files.map((f) => (
          <Tab
            key={f.name}
            label={f.name}
            active={f.name === active}
            counter={errorsByFile[f.name] || undefined}
            onChangeTab={() => {
              setRenaming(undefined);
              onSelect(f.name);
            }}
          />
        ))}
      </TabsBar>
      {renaming === undefined ? (
        <Stack gap={1}>
          <Button size="sm" variant="secondary" icon="plus" onClick={onAdd}>
            Add file
          </Button>
          <Button size="sm" variant="secondary" icon="pen" onClick={() => setRenaming(active)}>
            Rename {active}
          </Button>
          <ConfirmButton
            size="sm"
            confirmText={`Remove ${active}`}
            confirmVariant="destructive"
            disabled={files.length < 2}
            onConfirm={() => onRemove(active)}
          >
            <Button size="sm" variant="secondary" icon="trash-alt" disabled={files.length < 2}>
              Remove file
            </Button>
          </ConfirmButton>
        </Stack>
      ) : (
        <form
          onSubmit={(e) => {
            e.preventDefault();
            if (!problem) {
              onRename(active, renaming);
              setRenaming(undefined);
            }
          }}
        >
          <Stack gap={1} alignItems="flex-start">
            <Field label="File name" invalid={!!problem} error={problem}>
              <Input value={renaming} width={40} autoFocus onChange={(e) => setRenaming(e.currentTarget.value)} />
            </Field>
            <Button type="submit" size="sm" disabled={!!problem}>
              Save name
            </Button>
            <Button size="sm" variant="secondary" fill="text" onClick={() => setRenaming(undefined)}>
              Cancel
            </Button>
          </Stack>
        </form>
      )}
    </Stack>
  );
}
