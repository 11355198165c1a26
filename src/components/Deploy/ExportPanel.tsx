import React, { useMemo, useState } from 'react';
import { css } from '@emotion/css';
import { GrafanaTheme2 } from '@grafana/data';
import { Button, ClipboardButton, RadioButtonGroup, Stack, Text, useStyles2 } from '@grafana/ui';
import type { RulesFile } from '../../api/rules';
import { downloadText } from './download';
import { ExportFormat, exportFileName, exportText, ExportTarget } from './exportFormats';
import { deployTestIds } from './testIds';

const FORMATS: Array<{ label: string; value: ExportFormat; description: string }> = [
  { label: 'Helm values', value: 'values', description: 'customRules for a values file (helm upgrade -f)' },
  { label: 'Flux HelmRelease', value: 'flux', description: 'a HelmRelease and its HelmRepository to apply' },
  { label: 'Argo CD Application', value: 'argocd', description: 'an Application of the Falco chart to apply' },
  { label: 'ConfigMap', value: 'configmap', description: 'a ConfigMap manifest to mount at /etc/falco/rules.d' },
];

interface Props {
  files: RulesFile[];
  target: ExportTarget;
}

// ExportPanel gives the working copy to whoever deploys it some other way: no cluster, no role needed.
export function ExportPanel({ files, target }: Props) {
  const styles = useStyles2(getStyles);
  const [format, setFormat] = useState<ExportFormat>('values');
  const text = useMemo(() => exportText(files, format, target), [files, format, target]);

  return (
    <div data-testid={deployTestIds.export}>
      <Stack direction="column" gap={2}>
        <RadioButtonGroup options={FORMATS} value={format} onChange={setFormat} />
        <pre className={styles.pre} aria-label="Export">
          {text}
        </pre>
        <Stack gap={1}>
          <ClipboardButton icon="copy" variant="secondary" getText={() => text}>
            Copy
          </ClipboardButton>
          <Button
            icon="download-alt"
            variant="secondary"
            onClick={() => downloadText(exportFileName(format, target), text)}
          >
            {`Download ${exportFileName(format, target)}`}
          </Button>
        </Stack>
        <Text element="h3" variant="h5">
          The rules files
        </Text>
        <Stack gap={1} wrap="wrap">
          {files.map((f) => (
            <Button
              key={f.name}
              size="sm"
              icon="download-alt"
              variant="secondary"
              onClick={() => downloadText(f.name, f.content)}
            >
              {`Download ${f.name}`}
            </Button>
          ))}
        </Stack>
      </Stack>
    </div>
  );
}

export default ExportPanel;

const getStyles = (theme: GrafanaTheme2) => ({
  pre: css({
    fontFamily: theme.typography.fontFamilyMonospace,
    fontSize: theme.typography.bodySmall.fontSize,
    maxHeight: 420,
    overflow: 'auto',
    margin: 0,
  }),
});
