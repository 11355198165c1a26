// Vulnerability severities as the Trivy Operator labels them (trivy_image_vulnerabilities{severity}), most severe
// first, each with one fixed colour; the same reds and yellows as the Falco priorities of similar weight.
export const SEVERITY_ORDER = ['Critical', 'High', 'Medium', 'Low', 'Unknown'] as const;
export type Severity = (typeof SEVERITY_ORDER)[number];

export const SEVERITY_COLORS: Record<Severity, string> = {
  Critical: 'red',
  High: 'semi-dark-orange',
  Medium: 'yellow',
  Low: 'blue',
  Unknown: 'gray',
};
