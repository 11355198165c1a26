import React from 'react';
import { css } from '@emotion/css';
import { dateTimeFormat, GrafanaTheme2 } from '@grafana/data';
import { Button, ClipboardButton, Drawer, IconButton, Stack, Tag, Text, TextLink, useStyles2 } from '@grafana/ui';
import { oneLine, visibleText } from './displayText';
import type { QuickFilter } from './eventQueries';
import { falcoJson } from './eventExport';
import { MitreAttack } from '../../components/Mitre/MitreAttack';
import { AddExceptionButton } from '../../components/Tuning/AddExceptionButton';
import { mitreOf } from '../../components/Mitre/catalog';
import { FalcoEvent } from './eventRows';
import { PriorityBadge } from './PriorityBadge';
import { testIds } from './testIds';

export interface EventLinks {
  pod?: string;
  namespace?: string;
  rule?: string;
  rulesPage?: string;
}

interface Props {
  event: FalcoEvent;
  links: EventLinks;
  filterable?: QuickFilter[]; // the page's filters this event's values can be put into
  onFilter?: (name: QuickFilter, value: string) => void;
  onSearch?: (value: string) => void; // the page's free-text filter, for output fields without a filter of their own
  onClose: () => void;
  timeZone?: string;
}

const FILTER_LABELS: Record<QuickFilter, string> = {
  rule: 'rule',
  namespace: 'namespace',
  pod: 'pod',
  hostname: 'node',
  source: 'source',
};

// Falco output fields that are a page filter's value (Falco field names, falcosidekick's events).
const FIELD_FILTERS: Record<string, QuickFilter> = {
  'k8s.ns.name': 'namespace',
  'k8s.pod.name': 'pod',
  'evt.hostname': 'hostname',
};

// The event's own columns first, in the frame's order; output_fields follow under their Falco names.
const COLUMNS: Array<[keyof FalcoEvent, string]> = [
  ['source', 'Source'],
  ['hostname', 'Hostname'],
  ['cluster', 'Cluster'],
  ['namespace', 'Namespace'],
  ['pod', 'Pod'],
  ['container', 'Container'],
  ['image', 'Image'],
  ['process', 'Process'],
  ['cmdline', 'Command line'],
  ['user', 'User'],
  ['parent', 'Parent process'],
  ['id', 'Event id'],
];

function fieldText(v: unknown): string {
  if (v === null) {
    return 'null'; // Falco writes <NA> or null for a field it could not read
  }
  return typeof v === 'string' ? v : JSON.stringify(v);
}

// Everything Falco said about one event, every string shown as text (escaped, never markup), long ones wrapped.
export function EventDrawer({ event, links, filterable = [], onFilter, onSearch, onClose, timeZone }: Props) {
  const styles = useStyles2(getStyles);
  const mitre = mitreOf(event.tags);
  const otherTags = event.tags.filter((t) => !mitre.tags.includes(t));
  const outputFields = Object.keys(event.outputFields).sort();
  const json = JSON.stringify(falcoJson(event), null, 2);
  // An output field's value as a filter: the page filter it names, else the free-text search of the output.
  const fieldFilter = (name: string, value: string) => {
    const filter = FIELD_FILTERS[name];
    if (value === '' || value === '<NA>' || value === 'null') {
      return null;
    }
    if (filter && onFilter && filterable.includes(filter)) {
      return (
        <IconButton
          name="filter"
          size="sm"
          tooltip={`Only ${FILTER_LABELS[filter]} ${oneLine(value, 80)}`}
          onClick={() => onFilter(filter, value)}
        />
      );
    }
    return onSearch ? (
      <IconButton
        name="search"
        size="sm"
        tooltip={`Only events whose output has ${oneLine(value, 80)}`}
        onClick={() => onSearch(value)}
      />
    ) : null;
  };
  return (
    <Drawer
      title={oneLine(event.rule || 'Falco event', 200)}
      subtitle={
        <Stack gap={2} alignItems="center">
          <PriorityBadge priority={event.priority} />
          <span>{dateTimeFormat(event.time, { timeZone })}</span>
        </Stack>
      }
      size="md"
      onClose={onClose}
    >
      <div className={styles.body} data-testid={testIds.drawer}>
        <Stack direction="column" gap={2}>
          <Stack gap={2} wrap="wrap">
            {links.pod && (
              <TextLink href={links.pod} icon="cube">
                Pod drilldown
              </TextLink>
            )}
            {links.namespace && (
              <TextLink href={links.namespace} icon="folder">
                Namespace drilldown
              </TextLink>
            )}
            {links.rule && (
              <TextLink href={links.rule} icon="shield">
                Rule drilldown
              </TextLink>
            )}
            {links.rulesPage && (
              <TextLink href={links.rulesPage} icon="file-alt">
                Rule in the Rules page
              </TextLink>
            )}
            {event.rule && <AddExceptionButton rule={event.rule} outputFields={event.outputFields} />}
          </Stack>

          {onFilter && filterable.some((name) => event[name] !== '') && (
            <Stack gap={1} wrap="wrap">
              {filterable
                .filter((name) => event[name] !== '')
                .map((name) => (
                  <Button
                    key={name}
                    size="sm"
                    variant="secondary"
                    icon="filter"
                    onClick={() => onFilter(name, event[name])}
                  >
                    {`Only this ${FILTER_LABELS[name]}`}
                  </Button>
                ))}
            </Stack>
          )}

          <section>
            <Text element="h5">Output</Text>
            <pre className={styles.pre} data-testid={testIds.output}>
              {visibleText(event.output)}
            </pre>
          </section>

          {mitre.tags.length > 0 && (
            <section>
              <Text element="h5">MITRE ATT&amp;CK</Text>
              <MitreAttack mapping={mitre} />
            </section>
          )}

          {otherTags.length > 0 && (
            <section>
              <Text element="h5">Tags</Text>
              <Stack gap={1} wrap="wrap">
                {otherTags.map((t) => (
                  <Tag key={t} name={oneLine(t, 80)} colorIndex={5} />
                ))}
              </Stack>
            </section>
          )}

          <section>
            <Text element="h5">Fields</Text>
            <table className={styles.fields} data-testid={testIds.fields}>
              <tbody>
                {COLUMNS.filter(([key]) => event[key] !== '').map(([key, label]) => (
                  <tr key={key}>
                    <th scope="row">{label}</th>
                    <td>{visibleText(String(event[key]))}</td>
                  </tr>
                ))}
                {outputFields.map((name) => (
                  <tr key={`of:${name}`}>
                    <th scope="row">{visibleText(name)}</th>
                    <td>
                      <div className={styles.fieldValue}>
                        <span>{visibleText(fieldText(event.outputFields[name]))}</span>
                        {fieldFilter(name, fieldText(event.outputFields[name]))}
                      </div>
                    </td>
                  </tr>
                ))}
                {outputFields.length === 0 && event.outputFieldsRaw && (
                  <tr>
                    <th scope="row">output_fields</th>
                    <td>{visibleText(event.outputFieldsRaw)}</td>
                  </tr>
                )}
              </tbody>
            </table>
          </section>

          <section>
            <Stack justifyContent="space-between" alignItems="center">
              <Text element="h5">Falco JSON</Text>
              <ClipboardButton size="sm" variant="secondary" icon="copy" getText={() => json}>
                Copy JSON
              </ClipboardButton>
            </Stack>
            <pre className={styles.pre} data-testid={testIds.rawJson} tabIndex={0}>
              {visibleText(json)}
            </pre>
          </section>
        </Stack>
      </div>
    </Drawer>
  );
}

const getStyles = (theme: GrafanaTheme2) => ({
  body: css({ minWidth: 0 }),
  fieldValue: css({
    display: 'flex',
    alignItems: 'flex-start',
    justifyContent: 'space-between',
    gap: theme.spacing(1),
  }),
  // Long values wrap anywhere (a base64 blob has no spaces) instead of widening the drawer.
  pre: css({ whiteSpace: 'pre-wrap', overflowWrap: 'anywhere', maxHeight: 320, overflowY: 'auto' }),
  fields: css({
    width: '100%',
    tableLayout: 'fixed',
    borderCollapse: 'collapse',
    'th, td': {
      padding: theme.spacing(0.5, 1),
      verticalAlign: 'top',
      textAlign: 'left',
      whiteSpace: 'pre-wrap',
      overflowWrap: 'anywhere',
      borderBottom: `1px solid ${theme.colors.border.weak}`,
    },
    th: { width: '30%', color: theme.colors.text.secondary, fontWeight: theme.typography.fontWeightMedium },
    td: { fontFamily: theme.typography.fontFamilyMonospace },
  }),
});
