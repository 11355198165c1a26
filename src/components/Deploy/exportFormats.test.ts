import { readFileSync } from 'fs';
import { join } from 'path';
import { parse, parseAllDocuments } from 'yaml';
import {
  CHART_VERSION_PLACEHOLDER,
  configMapManifest,
  customRules,
  exportFileName,
  exportText,
  valuesSnippet,
} from './exportFormats';

// Real rulesets (../shared/corpus, read from the project root as CI does) plus text that trips naive emitters.
const corpus = (name: string) => readFileSync(join(process.cwd(), '../shared/corpus/falco-rules', name), 'utf8');
const files = [
  { name: 'falco_rules.yaml', content: corpus('falco_rules.yaml') },
  { name: 'falco-incubating_rules.yaml', content: corpus('falco-incubating_rules.yaml') },
  { name: 'no_final_newline.yaml', content: '- list: a\n  items: [x]' },
  { name: 'two_final_newlines.yaml', content: '- list: b\n  items: [y]\n\n' },
  { name: 'leading_spaces.yml', content: '   # indented first line\n- macro: m\n  condition: evt.num > 0\n' },
  { name: 'tabs_and_trailing.yaml', content: '- list: c\n  items: ["\t", x]   \n# "quotes" \'and\' #hash: colon\n' },
  { name: 'unicode.yaml', content: '# ünïcødé 🚨 rule\n- list: d\n  items: []\n' },
  { name: 'empty.yaml', content: '' },
  { name: 'one_line.yaml', content: 'true' },
];

test('the values snippet parses back, with the yaml package, to exactly the working copy', () => {
  const text = valuesSnippet(files, 'values');
  expect(parse(text)).toEqual({ customRules: customRules(files) });
  // Multi-line rules read as literal blocks, not escaped one-liners.
  expect(text).toContain('  falco_rules.yaml: |');
  expect(text.split('\n').length).toBeGreaterThan(corpus('falco_rules.yaml').split('\n').length);
});

test('Flux: a HelmRepository and a HelmRelease to apply, the release and its chart version named, customRules in values', () => {
  const docs = parseAllDocuments(
    exportText(files, 'flux', { namespace: 'security', release: 'falco-prod', chartVersion: '4.20.1' })
  );
  expect(docs.map((d) => d.errors)).toEqual([[], []]);
  const [repository, release] = docs.map((d) => d.toJS());
  expect(repository).toEqual({
    apiVersion: 'source.toolkit.fluxcd.io/v1',
    kind: 'HelmRepository',
    metadata: { name: 'falcosecurity', namespace: 'security' },
    spec: { interval: '1h', url: 'https://falcosecurity.github.io/charts' },
  });
  // helm.toolkit.fluxcd.io/v2 requires spec.interval and spec.chart.spec.{chart, sourceRef}.
  expect(release).toEqual({
    apiVersion: 'helm.toolkit.fluxcd.io/v2',
    kind: 'HelmRelease',
    metadata: { name: 'falco-prod', namespace: 'security' },
    spec: {
      interval: '10m',
      releaseName: 'falco-prod',
      chart: {
        spec: {
          chart: 'falco',
          version: '4.20.1',
          sourceRef: { kind: 'HelmRepository', name: 'falcosecurity', namespace: 'security' },
        },
      },
      values: { customRules: customRules(files) },
    },
  });
  expect(
    exportText(files, 'flux', { namespace: 'security', release: 'falco-prod', chartVersion: '4.20.1' })
  ).not.toContain('<FALCO_CHART_VERSION>');
});

test('Argo CD: an Application of the Falco chart to apply; without a cluster the chart version is a named placeholder', () => {
  const text = exportText(files, 'argocd', { namespace: 'falco', release: 'falco' });
  const docs = parseAllDocuments(text);
  expect(docs).toHaveLength(1);
  expect(docs[0].toJS()).toEqual({
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'Application',
    metadata: { name: 'falco', namespace: 'argocd' },
    spec: {
      project: 'default',
      source: {
        repoURL: 'https://falcosecurity.github.io/charts',
        chart: 'falco',
        targetRevision: CHART_VERSION_PLACEHOLDER,
        helm: { releaseName: 'falco', valuesObject: { customRules: customRules(files) } },
      },
      destination: { server: 'https://kubernetes.default.svc', namespace: 'falco' },
    },
  });
  // The header names each placeholder and what to put there, and warns that values replace the release's values.
  expect(text).toMatch(/^# Argo CD Application/);
  expect(text).toContain(`${CHART_VERSION_PLACEHOLDER}: the Falco chart version the release runs (helm list -n falco)`);
  expect(text).toContain('add the rest of your Falco values beside customRules');
});

test('the ConfigMap manifest is one v1 ConfigMap beside the release, its data the files, its name not the chart-owned one', () => {
  const docs = parseAllDocuments(configMapManifest(files, { namespace: 'security', release: 'falco-prod' }));
  expect(docs).toHaveLength(1);
  expect(docs[0].errors).toEqual([]);
  expect(docs[0].toJS()).toEqual({
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name: 'falco-prod-custom-rules', namespace: 'security', labels: { 'app.kubernetes.io/name': 'falco' } },
    data: customRules(files),
  });
  // The chart's own ConfigMap is <fullname>-rules (templates/rules-configmap.yaml); applying over it would fight Helm.
  expect(docs[0].toJS().metadata.name).not.toBe('falco-prod-rules');
  expect(configMapManifest(files, { namespace: 'security', release: 'falco-prod' })).toContain(
    'mountPath: /etc/falco/rules.d'
  );
});

test('an empty working copy exports an empty customRules, which the chart renders as no rules ConfigMap', () => {
  expect(parse(valuesSnippet([], 'values'))).toEqual({ customRules: {} });
  expect(parse(configMapManifest([], { namespace: 'falco', release: 'falco' })).data).toEqual({});
});

test('download names say what they hold', () => {
  const t = { namespace: 'falco', release: 'falco' };
  expect(exportFileName('values', t)).toBe('falco-custom-rules-values.yaml');
  expect(exportFileName('flux', t)).toBe('falco-custom-rules-flux.yaml');
  expect(exportFileName('configmap', t)).toBe('falco-custom-rules-configmap.yaml');
});
