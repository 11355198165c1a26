import { Document } from 'yaml';
import type { RulesFile } from '../../api/rules';
import type { ExportTarget } from './exportTarget';

export type { ExportTarget };

export type ExportFormat = 'values' | 'flux' | 'argocd' | 'configmap';

// The Falco chart's customRules value: file name -> rules text (charts/falco templates/rules-configmap.yaml).
export function customRules(files: RulesFile[]): Record<string, string> {
  return Object.fromEntries(files.map((f) => [f.name, f.content]));
}

// Multi-line rules go out as literal blocks, lines never folded, so the YAML reads like the files and parses back
// to exactly their text.
function emit(value: unknown, comment: string): string {
  const doc = new Document(value);
  doc.commentBefore = comment;
  return doc.toString({ blockQuote: 'literal', lineWidth: 0 });
}

export function valuesSnippet(files: RulesFile[], format: Exclude<ExportFormat, 'configmap'>): string {
  if (format === 'flux') {
    return fluxHelmRelease(files, DEFAULT_TARGET);
  }
  if (format === 'argocd') {
    return argoApplication(files, DEFAULT_TARGET);
  }
  return emit(
    { customRules: customRules(files) },
    " Falco chart values: merge into your values file and helm upgrade -f it. With --reuse-values Helm merges\n customRules maps (Helm's CoalesceTables), so a file removed here would stay in the release."
  );
}

const DEFAULT_TARGET: ExportTarget = { namespace: 'falco', release: 'falco' };

// The Falco charts' Helm repository (falcosecurity/charts), where the chart this app deploys comes from.
export const FALCO_CHART_REPOSITORY = 'https://falcosecurity.github.io/charts';

// A value the export cannot know: written as <NAME> in the manifest and listed, with what to put, in its header.
export const CHART_VERSION_PLACEHOLDER = '<FALCO_CHART_VERSION>';
const chartVersion = (t: ExportTarget) => t.chartVersion || CHART_VERSION_PLACEHOLDER;

function placeholders(t: ExportTarget, more: string[] = []): string {
  const list = [
    ...(t.chartVersion
      ? []
      : [`   ${CHART_VERSION_PLACEHOLDER}: the Falco chart version the release runs (helm list -n ${t.namespace})`]),
    ...more,
  ];
  return list.length ? `\n Placeholders to fill in before applying:\n${list.join('\n')}` : '';
}

const VALUES_WARNING =
  "\n Its values are the release's values: add the rest of your Falco values beside customRules, or Flux/Argo CD\n renders the chart with the defaults and customRules only.";

// A Flux HelmRelease (helm.toolkit.fluxcd.io/v2: spec.interval and spec.chart.spec{chart, version, sourceRef} are
// required) and the HelmRepository (source.toolkit.fluxcd.io/v1) it reads the chart from: two objects to apply.
export function fluxHelmRelease(files: RulesFile[], t: ExportTarget): string {
  const repository = {
    apiVersion: 'source.toolkit.fluxcd.io/v1',
    kind: 'HelmRepository',
    metadata: { name: 'falcosecurity', namespace: t.namespace },
    spec: { interval: '1h', url: FALCO_CHART_REPOSITORY },
  };
  const release = {
    apiVersion: 'helm.toolkit.fluxcd.io/v2',
    kind: 'HelmRelease',
    metadata: { name: t.release, namespace: t.namespace },
    spec: {
      interval: '10m',
      releaseName: t.release,
      chart: {
        spec: {
          chart: 'falco',
          version: chartVersion(t),
          sourceRef: { kind: 'HelmRepository', name: 'falcosecurity', namespace: t.namespace },
        },
      },
      values: { customRules: customRules(files) },
    },
  };
  return [
    emit(repository, ' Flux: the Falco charts repository.'),
    emit(
      release,
      ` Flux HelmRelease of the Falco chart as release ${t.release} in ${t.namespace}.${VALUES_WARNING}${placeholders(t)}`
    ),
  ].join('---\n');
}

// An Argo CD Application (argoproj.io/v1alpha1) of the Falco chart from its Helm repository, applied in Argo CD's
// namespace; Argo CD renders it with helm template, so the rules reach Falco through the chart's customRules.
export function argoApplication(files: RulesFile[], t: ExportTarget): string {
  const app = {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'Application',
    metadata: { name: t.release, namespace: 'argocd' },
    spec: {
      project: 'default',
      source: {
        repoURL: FALCO_CHART_REPOSITORY,
        chart: 'falco',
        targetRevision: chartVersion(t),
        helm: { releaseName: t.release, valuesObject: { customRules: customRules(files) } },
      },
      destination: { server: 'https://kubernetes.default.svc', namespace: t.namespace },
    },
  };
  return emit(
    app,
    ` Argo CD Application of the Falco chart as release ${t.release} in ${t.namespace} (metadata.namespace is Argo CD's\n own namespace; destination.server is the cluster Argo CD runs in).${VALUES_WARNING}${placeholders(t)}`
  );
}

export const configMapName = (t: ExportTarget) => `${t.release}-custom-rules`;

// configMapManifest holds the rules for a Falco not fed through the chart's customRules. Its name differs from the
// chart's own <fullname>-rules, which Helm owns; the chart mounts it with mounts.volumes and mounts.volumeMounts.
export function configMapManifest(files: RulesFile[], t: ExportTarget): string {
  const name = configMapName(t);
  return emit(
    {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name, namespace: t.namespace, labels: { 'app.kubernetes.io/name': 'falco' } },
      data: customRules(files),
    },
    ` Custom Falco rules. With the Falco chart, while customRules is empty, mount them at /etc/falco/rules.d:\n   mounts.volumes: [{name: custom-rules, configMap: {name: ${name}}}]\n   mounts.volumeMounts: [{name: custom-rules, mountPath: /etc/falco/rules.d}]`
  );
}

export function exportText(files: RulesFile[], format: ExportFormat, t: ExportTarget): string {
  switch (format) {
    case 'configmap':
      return configMapManifest(files, t);
    case 'flux':
      return fluxHelmRelease(files, t);
    case 'argocd':
      return argoApplication(files, t);
    default:
      return valuesSnippet(files, 'values');
  }
}

export const exportFileName = (format: ExportFormat, t: ExportTarget) =>
  format === 'configmap' ? `${configMapName(t)}-configmap.yaml` : `${t.release}-custom-rules-${format}.yaml`;
