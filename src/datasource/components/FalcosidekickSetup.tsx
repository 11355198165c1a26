import React, { useState } from 'react';
import { config } from '@grafana/runtime';
import { ClipboardButton, Field, Input, Stack, Tab, TabContent, TabsBar, Text, TextLink } from '@grafana/ui';
import { composeEnvironment, helmValues, webhookSettings } from './falcosidekick';

interface Props {
  uid: string;
  token?: string; // the token typed or generated in this session; a saved one is never sent back
  tokenConfigured: boolean;
}

type Form = 'helm' | 'compose';

function Snippet({ text, testId }: { text: string; testId: string }) {
  return (
    <Stack direction="column" gap={1} alignItems="flex-start">
      <pre data-testid={testId} style={{ whiteSpace: 'pre-wrap', wordBreak: 'break-all', width: '100%' }}>
        {text}
      </pre>
      <ClipboardButton variant="secondary" icon="copy" size="sm" getText={() => text}>
        Copy
      </ClipboardButton>
    </Stack>
  );
}

// The exact falcosidekick settings for this datasource, as Falco chart values and as docker compose environment.
export function FalcosidekickSetup({ uid, token, tokenConfigured }: Props) {
  const [grafanaUrl, setGrafanaUrl] = useState(config.appUrl || window.location.origin);
  const [form, setForm] = useState<Form>('helm');
  const webhook = webhookSettings(grafanaUrl, uid, token);
  return (
    <Stack direction="column" gap={1}>
      <Text element="h4">Send Falco events here with falcosidekick</Text>
      <Text color="secondary">
        falcosidekick posts each event to this datasource. It authenticates to Grafana with a service account token
        (Administration → Service accounts, role Viewer) and to this datasource with the ingest token
        {token
          ? ' above'
          : tokenConfigured
            ? ' you saved (Grafana never shows it again: reset it to see a new one)'
            : ''}
        .
      </Text>
      <Field
        label="Grafana URL as falcosidekick reaches it"
        description="In Kubernetes usually the Grafana service, e.g. http://kube-prometheus-stack-grafana.monitoring.svc; in docker compose http://grafana:3000"
      >
        <Input
          aria-label="Grafana URL for falcosidekick"
          width={60}
          value={grafanaUrl}
          onChange={(e) => setGrafanaUrl(e.currentTarget.value)}
        />
      </Field>
      <Text element="p">
        <code>config.webhook.address</code>: <code data-testid="falcosidekick-address">{webhook.address}</code>
      </Text>
      <Text element="p">
        <code>config.webhook.customHeaders</code>:{' '}
        <code data-testid="falcosidekick-headers">{webhook.customHeaders}</code>
      </Text>
      <TabsBar>
        <Tab label="Falco chart (kube-prometheus-stack)" active={form === 'helm'} onChangeTab={() => setForm('helm')} />
        <Tab label="docker compose" active={form === 'compose'} onChangeTab={() => setForm('compose')} />
      </TabsBar>
      <TabContent>
        {form === 'helm' ? (
          <Stack direction="column" gap={1}>
            <Text color="secondary">
              Values of the Falco Helm chart, whose falcosidekick subchart sends the events (
              <TextLink href="https://github.com/falcosecurity/charts/tree/master/charts/falcosidekick" external>
                chart docs
              </TextLink>
              ). Enabling it also switches Falco&apos;s JSON and HTTP output to falcosidekick.
            </Text>
            <Snippet text={helmValues(webhook)} testId="falcosidekick-helm" />
          </Stack>
        ) : (
          <Stack direction="column" gap={1}>
            <Text color="secondary">The falcosidekick service&apos;s environment in docker-compose.yaml.</Text>
            <Snippet text={composeEnvironment(webhook)} testId="falcosidekick-compose" />
          </Stack>
        )}
      </TabContent>
    </Stack>
  );
}
