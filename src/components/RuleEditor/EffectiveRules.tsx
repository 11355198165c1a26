import React, { useMemo, useState } from 'react';
import { locationService } from '@grafana/runtime';
import { Badge, Button, Field, InteractiveTable, MultiCombobox, Stack, Text } from '@grafana/ui';
import type { EffectiveRule, RulesFile } from '../../api/rules';
import { changesToRules } from './defaultChanges';
import { priorityRank } from '../../scenes/events/priority';
import { PriorityBadge } from '../../scenes/events/PriorityBadge';
import { MitreAttack } from '../Mitre/MitreAttack';
import { filterOptions, filterRules, NO_FILTERS, plainTags, RuleFilters, ruleMitre } from './effectiveRules';

type Row = EffectiveRule & { id: string; changes?: string[] };

const columns = [
  { id: 'name', header: 'Rule', sortType: 'string' as const },
  {
    id: 'priority',
    header: 'Priority',
    // By severity, not alphabetically: Critical above Alert's neighbours, Debug last.
    sortType: (a: { original: Row }, b: { original: Row }) =>
      priorityRank(a.original.priority) - priorityRank(b.original.priority),
    cell: ({ row }: { row: { original: Row } }) =>
      row.original.priority ? <PriorityBadge priority={row.original.priority} /> : '—',
  },
  { id: 'source', header: 'Source', sortType: 'string' as const },
  {
    id: 'tags',
    header: 'Tags',
    cell: ({ row }: { row: { original: Row } }) => plainTags(row.original).join(', '),
  },
  {
    id: 'mitre',
    header: 'MITRE ATT&CK',
    cell: ({ row }: { row: { original: Row } }) => <MitreAttack mapping={ruleMitre(row.original)} />,
  },
  {
    id: 'enabled',
    header: 'Enabled',
    cell: ({ row }: { row: { original: Row } }) =>
      row.original.enabled ? <Badge text="enabled" color="green" /> : <Badge text="disabled" color="darkgrey" />,
  },
  {
    id: 'file',
    header: 'Defined in',
    cell: ({ row }: { row: { original: Row } }) => {
      const r = row.original;
      const where = r.default ? `${r.file} (default ruleset)` : r.line ? `${r.file}:${r.line}` : r.file;
      if (!r.changes?.length) {
        return where;
      }
      // A default rule your files change: the table shows the rule as Falco will run it, and says who changed it.
      return (
        <Stack direction="column" gap={0.5}>
          <span>{where}</span>
          <span>
            <Badge text="changed by your files" color="blue" icon="pen" />
          </span>
          <Text color="secondary" variant="bodySmall">
            {r.changes.join('; ')}
          </Text>
        </Stack>
      );
    },
  },
];

function FilterField({
  label,
  options,
  value,
  onChange,
}: {
  label: string;
  options: string[];
  value: string[];
  onChange: (v: string[]) => void;
}) {
  return (
    <Field label={label} noMargin>
      <MultiCombobox
        aria-label={`Filter by ${label.toLowerCase()}`}
        width={28}
        options={options.map((o) => ({ label: o, value: o }))}
        value={value}
        onChange={(opts) => onChange(opts.map((o) => o.value))}
      />
    </Field>
  );
}

// EffectiveRules lists the rules Falco would run with the edited files loaded, filtered by priority, tag and source.
// A link from an event opens the page on its rule: /rules?rule=<name> (src/scenes/events/EventList.tsx).
export function EffectiveRules({ rules, files = [] }: { rules: EffectiveRule[]; files?: RulesFile[] }) {
  const [filters, setFilters] = useState<RuleFilters>(NO_FILTERS);
  const [linkedRule, setLinkedRule] = useState(() => {
    const rule = locationService.getSearchObject().rule;
    return typeof rule === 'string' && rule !== '' ? rule : undefined;
  });
  const options = useMemo(() => filterOptions(rules), [rules]);
  const changes = useMemo(() => changesToRules(files), [files]);
  const rows = useMemo<Row[]>(
    () =>
      filterRules(rules, filters)
        .filter((r) => linkedRule === undefined || r.name === linkedRule)
        .map((r) => ({ ...r, id: `${r.source}/${r.name}`, changes: r.default ? changes.get(r.name) : undefined })),
    [rules, filters, linkedRule, changes]
  );

  return (
    <Stack direction="column" gap={1}>
      <Stack gap={2} wrap="wrap">
        <FilterField
          label="Priority"
          options={options.priorities}
          value={filters.priorities}
          onChange={(priorities) => setFilters({ ...filters, priorities })}
        />
        <FilterField
          label="Tag"
          options={options.tags}
          value={filters.tags}
          onChange={(tags) => setFilters({ ...filters, tags })}
        />
        <FilterField
          label="Source"
          options={options.sources}
          value={filters.sources}
          onChange={(sources) => setFilters({ ...filters, sources })}
        />
      </Stack>
      {linkedRule !== undefined && (
        <Stack gap={1} alignItems="center">
          <Text color="secondary">Showing rule: {linkedRule}</Text>
          <Button size="sm" variant="secondary" fill="text" icon="times" onClick={() => setLinkedRule(undefined)}>
            Show all rules
          </Button>
        </Stack>
      )}
      <Text color="secondary">
        {rows.length} of {rules.length} rules
      </Text>
      <InteractiveTable columns={columns} data={rows} getRowId={(r) => r.id} pageSize={25} />
    </Stack>
  );
}
