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
  const rules = { customRules: customRules(files) };
  switch (format) {
    case 'flux':
      return emit(
        { spec: { values: rules } },
        ' Flux HelmRelease (helm.toolkit.fluxcd.io/v2) of the Falco chart: merge into spec.values.'
      );
    case 'argocd':
      return emit(
        { spec: { source: { helm: { valuesObject: rules } } } },
        ' Argo CD Application of the Falco chart: merge into spec.source.helm.valuesObject\n (spec.sources[n].helm.valuesObject for a multi-source Application).'
      );
    default:
      return emit(
        rules,
        " Falco chart values: merge into your values file and helm upgrade -f it. With --reuse-values Helm merges\n customRules maps (Helm's CoalesceTables), so a file removed here would stay in the release."
      );
  }
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
  return format === 'configmap' ? configMapManifest(files, t) : valuesSnippet(files, format);
}

export const exportFileName = (format: ExportFormat, t: ExportTarget) =>
  format === 'configmap' ? `${configMapName(t)}-configmap.yaml` : `${t.release}-custom-rules-${format}.yaml`;
