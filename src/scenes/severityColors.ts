import { FALCO_PRIORITY_COLORS } from './priorityColors';

// Vulnerability severities as the Trivy Operator labels them (trivy_image_vulnerabilities{severity}), most severe
// first, each in the colour of the Falco priority of similar weight (the same palette, the same contrast).
export const SEVERITY_ORDER = ['Critical', 'High', 'Medium', 'Low', 'Unknown'] as const;
export type Severity = (typeof SEVERITY_ORDER)[number];

export const SEVERITY_COLORS: Record<Severity, string> = {
  Critical: FALCO_PRIORITY_COLORS.Critical,
  High: FALCO_PRIORITY_COLORS.Error,
  Medium: FALCO_PRIORITY_COLORS.Warning,
  Low: FALCO_PRIORITY_COLORS.Notice,
  Unknown: FALCO_PRIORITY_COLORS.Debug,
};
