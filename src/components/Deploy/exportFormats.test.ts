import { readFileSync } from 'fs';
import { join } from 'path';
import { parse, parseAllDocuments } from 'yaml';
import { configMapManifest, customRules, exportFileName, valuesSnippet } from './exportFormats';

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

test('the Flux and Argo CD snippets carry the same customRules where each tool reads values', () => {
  expect(parse(valuesSnippet(files, 'flux'))).toEqual({ spec: { values: { customRules: customRules(files) } } });
  expect(parse(valuesSnippet(files, 'argocd'))).toEqual({
    spec: { source: { helm: { valuesObject: { customRules: customRules(files) } } } },
  });
  expect(valuesSnippet(files, 'flux')).toMatch(/^# Flux HelmRelease/);
  expect(valuesSnippet(files, 'argocd')).toMatch(/^# Argo CD Application/);
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
