import React from 'react';
import { act, render, screen } from '@testing-library/react';
import { sceneGraph, sceneUtils } from '@grafana/scenes';
import { activateTree, settle } from '../../scenes/testing/grafanaStandIn';
import { eventsFrame, standInFalco } from '../../scenes/testing/falcoStandIn';
import { EarlierCriticals, LOOK_BACK_MS } from './EarlierCriticals';
import { overviewPage } from './overviewPage';

const HOUR = 3600 * 1000;

async function openOverview(search: string, criticalsBefore: (from: number, to: number) => number[]) {
  const falco = standInFalco((q) => {
    if (q.queryType !== 'events' || q.refId !== 'earlierCriticals') {
      return [];
    }
    const req = falco.requests[falco.requests.length - 1];
    const times = criticalsBefore(req.range.from.valueOf(), req.range.to.valueOf());
    return [
      eventsFrame(
        times.map((time, i) => ({
          id: `crit-${i}`,
          time,
          priority: 'Critical',
          rule: 'Drop and execute new binary in container',
        }))
      ),
    ];
  });
  const page = overviewPage({ prometheusDatasourceUid: 'prom-prod', falcoDatasourceUid: 'falco-prod' });
  const scene = page.getScene({ url: page.state.url, path: page.state.routePath!, params: {}, isExact: true });
  sceneUtils.syncStateFromSearchParams(scene, new URLSearchParams(search));
  activateTree(scene);
  await settle();
  const hint = sceneGraph.findObject(scene, (o) => o instanceof EarlierCriticals) as EarlierCriticals;
  return { falco, hint, scene };
}

test('a Critical detection 12 h ago, before the default 6 h, is named on the Overview with a link that opens it', async () => {
  const now = Date.now();
  const { falco, hint } = await openOverview('', () => [now - 12 * HOUR]);
  // The look-back asks for Critical and above in the week before the range shown, not in it.
  const req = falco.requests.find((r) => r.targets[0].refId === 'earlierCriticals')!;
  expect(falco.queries.find((q) => q.refId === 'earlierCriticals')).toMatchObject({
    filters: { minPriority: 'critical' },
  });
  const rangeFrom = now - 6 * HOUR;
  expect(Math.abs(req.range.to.valueOf() - rangeFrom)).toBeLessThan(60_000);
  expect(Math.abs(req.range.from.valueOf() - (rangeFrom - LOOK_BACK_MS))).toBeLessThan(60_000);

  render(<hint.Component model={hint} />);
  const link = screen.getByRole('link', { name: /1 Critical detection 12 hours ago/ });
  const url = new URL(link.getAttribute('href')!, 'http://grafana');
  expect(url.pathname).toBe('/a/containersec-security-app/events');
  expect(url.searchParams.get('event')).toBe('crit-0');
  expect(url.searchParams.get('var-minPriority')).toBe('critical');
  expect(Number(url.searchParams.get('from'))).toBe(now - 13 * HOUR);
});

test('nothing is said when the week before the range had no Critical detection, and it follows the range', async () => {
  const now = Date.now();
  let older: number[] = [];
  const { falco, hint, scene } = await openOverview('from=now-6h&to=now', () => older);
  render(<hint.Component model={hint} />);
  expect(screen.queryByRole('link')).not.toBeInTheDocument();
  // A wider range asks again for the week before it.
  older = [now - 30 * HOUR, now - 40 * HOUR];
  await act(async () => {
    sceneGraph.getTimeRange(scene).setState({ from: 'now-24h' });
    sceneGraph.getTimeRange(scene).onRefresh();
    await settle();
  });
  const last = falco.requests.filter((r) => r.targets[0].refId === 'earlierCriticals').pop()!;
  expect(Math.abs(last.range.to.valueOf() - (now - 24 * HOUR))).toBeLessThan(60_000);
  expect(
    screen.getByRole('link', { name: /2 Critical detections before this range, the latest a day ago/ })
  ).toBeInTheDocument();
});
