// Kept apart from exportFormats.ts so the deploy panel can name the export's target without loading the yaml library.
export interface ExportTarget {
  // The release the ConfigMap is named after and lives beside; falco/falco when no cluster is connected.
  namespace: string;
  release: string;
  chartVersion?: string; // the release's chart version, when a cluster is connected (else a named placeholder)
}

export const DEFAULT_EXPORT_TARGET: ExportTarget = { namespace: 'falco', release: 'falco' };
