import { CustomVariable, EmbeddedScene, SceneFlexLayout, sceneGraph, SceneVariableSet } from '@grafana/scenes';
import { escapeRegex, labelMatcher, regexMatcher } from './labels';
import { buildQuery } from './index';
import { parseSelectors } from './testing/promqlSelectors';

// Grafana interpolates template variables over a panel's whole expression, literals included: a drilldown subject
// from the URL such as /pod/${cluster:raw} must stay a literal, whatever the (URL-controlled) variable holds.
const INJECTION = 'x"} or vector(1) or up{a="';

function sceneWithCluster(value: string) {
  const scene = new EmbeddedScene({
    $variables: new SceneVariableSet({
      variables: [new CustomVariable({ name: 'cluster', query: value, value, text: value })],
    }),
    body: new SceneFlexLayout({ children: [] }),
  });
  scene.activate();
  return scene;
}

const TEMPLATE_REFERENCES = ['${cluster:raw}', '$cluster', '${cluster}', '[[cluster]]', '[[cluster:raw]]'];

describe('literal values under Grafana template interpolation', () => {
  it.each(TEMPLATE_REFERENCES)('an exact matcher on %j keeps that text as its value', (ref) => {
    const scene = sceneWithCluster(INJECTION);
    const value = `api-0 ${ref} end`;
    const interpolated = sceneGraph.interpolate(scene, labelMatcher('pod', value));
    expect(parseSelectors(`m{${interpolated}}`)).toEqual([{ metric: 'm', label: 'pod', op: '=', value }]);
  });

  it.each(TEMPLATE_REFERENCES)('a regex matcher on %j keeps that text as its value', (ref) => {
    const scene = sceneWithCluster(INJECTION);
    const value = `r ${ref}`;
    const interpolated = sceneGraph.interpolate(scene, regexMatcher('rule', [value])!);
    expect(parseSelectors(`m{${interpolated}}`)).toEqual([
      { metric: 'm', label: 'rule', op: '=~', value: escapeRegex(value) },
    ]);
  });

  it('a library query for a hostile pod name selects that pod only after interpolation', () => {
    const scene = sceneWithCluster(INJECTION);
    const pod = '${cluster:raw}';
    const expr = sceneGraph.interpolate(scene, buildQuery('workload.cpu.by_pod', { namespace: 'shop', pod }));
    expect(expr).not.toContain('vector(1)');
    expect(parseSelectors(expr).filter((m) => m.label === 'pod')).toEqual([
      { metric: 'containersec:pod_cpu_usage:rate5m', label: 'pod', op: '=', value: pod },
    ]);
  });
});
