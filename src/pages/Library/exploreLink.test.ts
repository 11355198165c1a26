import { exploreUrl } from './exploreLink';

test('the Explore link carries the datasource uid, the exact expression and the time range', () => {
  const expr = 'sum by (priority) (rate(x{k8s_ns_name="a\\"b|c"}[5m])) > 0 & 1';
  const url = exploreUrl('prom-prod', expr, { from: 'now-6h', to: 'now' }, '{{priority}}');

  const [path, query] = url.split('?');
  expect(path).toBe('/explore');
  const params = new URLSearchParams(query);
  expect(params.get('schemaVersion')).toBe('1');
  const panes = JSON.parse(params.get('panes')!);
  const pane = Object.values(panes)[0] as any;
  expect(pane.datasource).toBe('prom-prod');
  expect(pane.queries).toEqual([
    {
      refId: 'A',
      datasource: { type: 'prometheus', uid: 'prom-prod' },
      expr,
      range: true,
      legendFormat: '{{priority}}',
    },
  ]);
  expect(pane.range).toEqual({ from: 'now-6h', to: 'now' });
});
