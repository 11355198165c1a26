import React from 'react';
import { DataFrame, dateTimeFormatTimeAgo, LoadingState, urlUtil } from '@grafana/data';
import {
  SceneComponentProps,
  SceneObjectBase,
  SceneObjectState,
  SceneQueryRunner,
  SceneTimeRange,
  sceneGraph,
} from '@grafana/scenes';
import { Alert, LinkButton } from '@grafana/ui';
import { prefixRoute, ROUTES } from '../../constants';
import { QueryType } from '../../datasource/types';
import { eventsDatasource } from '../../scenes/events/eventQueries';
import { eventsOf, nextCursorOf } from '../../scenes/events/eventRows';

// How far before the range shown the Overview looks for Critical detections.
export const LOOK_BACK_MS = 7 * 24 * 3600 * 1000;
const LOOK_BACK_LIMIT = 100;

export interface EarlierCritical {
  id: string;
  time: number;
  count: number; // Critical-and-above events in the week before the range
  more: boolean; // more than `count` (the backend had a next page)
}

export interface EarlierCriticalsState extends SceneObjectState {
  runner?: SceneQueryRunner; // the look-back query while it runs
  earlier?: EarlierCritical;
}

// A quiet range is not a quiet week: with a Critical detection in the seven days before the range shown (the default
// 6 h hides one from this morning), the Overview says so and links to it, opened, on the Events page. The default
// range stays 6 h: a week of per-interval panels is slower and blurs the last hours.
export class EarlierCriticals extends SceneObjectBase<EarlierCriticalsState> {
  static Component = EarlierCriticalsRenderer;

  constructor() {
    super({});
    this.addActivationHandler(() => {
      this.check();
      const sub = sceneGraph.getTimeRange(this).subscribeToState((next, prev) => {
        if (next.value.from.valueOf() !== prev.value.from.valueOf()) {
          this.check();
        }
      });
      return () => sub.unsubscribe();
    });
  }

  // Critical and above in [from - 7 d, from), newest first: the runner has its own time range, the week before.
  public check() {
    const from = sceneGraph.getTimeRange(this).state.value.from.valueOf();
    const runner = new SceneQueryRunner({
      $timeRange: new SceneTimeRange({
        from: new Date(from - LOOK_BACK_MS).toISOString(),
        to: new Date(from - 1).toISOString(),
      }),
      datasource: eventsDatasource(),
      queries: [
        {
          refId: 'earlierCriticals',
          queryType: QueryType.Events,
          filters: { minPriority: 'critical' },
          limit: LOOK_BACK_LIMIT,
        },
      ],
    });
    this.setState({ runner, earlier: undefined });
    let done = false;
    let deactivate: (() => void) | undefined;
    const sub = runner.subscribeToState((s) => {
      if (done || !s.data || s.data.state === LoadingState.Loading) {
        return;
      }
      done = true;
      sub.unsubscribe();
      deactivate?.();
      if (this.state.runner === runner) {
        this.setState({ runner: undefined, earlier: s.data.errors?.length ? undefined : earliest(s.data.series[0]) });
      }
    });
    deactivate = runner.activate();
    if (done) {
      deactivate();
    }
  }

  // The Events page opened on the latest one, from an hour before it to the end of the range shown.
  public linkTo(e: EarlierCritical): string {
    const range = sceneGraph.getTimeRange(this).state;
    const params = {
      from: String(e.time - 3600 * 1000),
      to: typeof range.to === 'string' ? range.to : 'now',
      'var-minPriority': 'critical',
      event: e.id,
    };
    return `${prefixRoute(ROUTES.Events)}?${urlUtil.toUrlParams(params)}`;
  }
}

function earliest(frame: DataFrame | undefined): EarlierCritical | undefined {
  const events = eventsOf(frame);
  if (events.length === 0) {
    return undefined;
  }
  return { id: events[0].id, time: events[0].time, count: events.length, more: nextCursorOf(frame) !== '' };
}

// "1 Critical detection 12 hours ago", "100+ Critical detections, the latest 2 days ago".
export function earlierText(e: EarlierCritical): string {
  const ago = dateTimeFormatTimeAgo(e.time);
  const count = `${e.count}${e.more ? '+' : ''}`;
  return e.count === 1 && !e.more
    ? `1 Critical detection ${ago}`
    : `${count} Critical detections before this range, the latest ${ago}`;
}

function EarlierCriticalsRenderer({ model }: SceneComponentProps<EarlierCriticals>) {
  const { earlier } = model.useState();
  if (!earlier) {
    return null;
  }
  return (
    <Alert severity="warning" title="Critical detections before the range shown">
      <LinkButton href={model.linkTo(earlier)} icon="list-ul" variant="secondary" size="sm">
        {earlierText(earlier)}
      </LinkButton>
    </Alert>
  );
}
