import React from 'react';
import { css } from '@emotion/css';
import { DataFrame, FieldType, LoadingState } from '@grafana/data';
import {
  MultiValueVariable,
  SceneComponentProps,
  SceneObjectBase,
  SceneObjectState,
  SceneQueryRunner,
  VariableDependencyConfig,
  sceneGraph,
} from '@grafana/scenes';
import { Button, Stack, Text } from '@grafana/ui';
import type { EventFilters } from '../../datasource/types';
import { FALCO_PRIORITIES, FalcoPriority } from '../priorityColors';
import { eventCountsQuery, eventsDatasource } from './eventQueries';
import { priorityName, priorityRank } from './priority';
import { PriorityBadge } from './PriorityBadge';
import { testIds } from './testIds';
import { ALL_PRIORITIES } from '../variables';

// "1 event", "422 events": whole counts, never "1 events".
export function eventCount(n: number): string {
  return `${n.toLocaleString('en-US')} event${n === 1 ? '' : 's'}`;
}

// The events of each priority in the range, summed over the buckets of an eventCounts query grouped by priority.
export function countsByPriority(frames: DataFrame[]): Map<FalcoPriority, number> {
  const counts = new Map<FalcoPriority, number>();
  for (const frame of frames) {
    for (const field of frame.fields.filter((f) => f.type === FieldType.number)) {
      const name = priorityName(field.labels?.priority ?? frame.name);
      if (name) {
        const sum = field.values.reduce((acc: number, v: unknown) => acc + (typeof v === 'number' ? v : 0), 0);
        counts.set(name, (counts.get(name) ?? 0) + sum);
      }
    }
  }
  return counts;
}

export interface PriorityTotalsState extends SceneObjectState {
  $data: SceneQueryRunner;
}

// The total of the list and a count per priority (falcosidekick-ui's clickable counts): the list's filters except its
// minimum priority, so every priority shows; a click sets the minimum priority to it.
export class PriorityTotals extends SceneObjectBase<PriorityTotalsState> {
  static Component = PriorityTotalsRenderer;

  // The counts stay; which one is pressed and the total shown follow the minimum priority.
  protected _variableDependency = new VariableDependencyConfig(this, {
    variableNames: ['minPriority'],
    onReferencedVariableValueChanged: () => this.forceRender(),
  });

  constructor(filters: EventFilters) {
    const { minPriority: _threshold, ...others } = filters;
    super({
      $data: new SceneQueryRunner({
        datasource: eventsDatasource(),
        queries: [eventCountsQuery(others, 'priority')],
        maxDataPoints: 60, // only the sum is shown: few buckets
      }),
    });
  }

  private threshold(): MultiValueVariable | undefined {
    const v = sceneGraph.lookupVariable('minPriority', this);
    return v instanceof MultiValueVariable ? v : undefined;
  }

  // The minimum priority the list shows, or undefined for all.
  public minPriority(): FalcoPriority | undefined {
    const value = this.threshold()?.getValue();
    return value && value !== ALL_PRIORITIES ? priorityName(String(value)) : undefined;
  }

  public showFrom(priority: FalcoPriority | undefined) {
    const value = priority ? priority.toLowerCase() : ALL_PRIORITIES;
    this.threshold()?.changeValueTo(value, value, true);
  }
}

function PriorityTotalsRenderer({ model }: SceneComponentProps<PriorityTotals>) {
  const { data } = model.state.$data.useState();
  model.useState();
  if (!data || data.state !== LoadingState.Done || data.errors?.length) {
    return null;
  }
  const counts = countsByPriority(data.series);
  const min = model.minPriority();
  const shown = FALCO_PRIORITIES.filter((p) => !min || priorityRank(p) <= priorityRank(min));
  const total = shown.reduce((acc, p) => acc + (counts.get(p) ?? 0), 0);
  return (
    <Stack gap={1} alignItems="center" wrap="wrap" data-testid={testIds.totals}>
      <Text weight="medium">
        {eventCount(total)}
        {min ? ` at ${min} or above` : ''}
      </Text>
      {FALCO_PRIORITIES.filter((p) => counts.get(p)).map((p) => (
        <Button
          key={p}
          size="sm"
          variant="secondary"
          fill={min === p ? 'solid' : 'outline'}
          aria-pressed={min === p}
          onClick={() => model.showFrom(p)}
        >
          {/* The name starts with what the button shows (axe label-content-name-mismatch), then says what it does. */}
          <Stack gap={1} alignItems="center">
            <PriorityBadge priority={p} /> {(counts.get(p) ?? 0).toLocaleString('en-US')}
            <span className={visuallyHidden}>{`: ${eventCount(counts.get(p) ?? 0)} at ${p}, show ${p} and above`}</span>
          </Stack>
        </Button>
      ))}
      {min && (
        <Button size="sm" variant="secondary" fill="text" icon="times" onClick={() => model.showFrom(undefined)}>
          All priorities
        </Button>
      )}
    </Stack>
  );
}

// Read by screen readers, not drawn (the usual clip pattern).
const visuallyHidden = css({
  position: 'absolute',
  width: 1,
  height: 1,
  padding: 0,
  margin: -1,
  overflow: 'hidden',
  clip: 'rect(0, 0, 0, 0)',
  whiteSpace: 'nowrap',
  border: 0,
});
