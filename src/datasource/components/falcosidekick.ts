// The ingest token's rules and the falcosidekick settings that deliver events to this datasource.

export const INGEST_TOKEN_HEADER = 'X-Containersec-Ingest-Token';

// falcosidekick reads webhook.customHeaders from its env form (the chart puts config.webhook.customHeaders in the
// WEBHOOK_CUSTOMHEADERS env var, templates/secrets.yaml): config.go splits it at "," then at ":" and keeps a header
// only when that gives exactly two parts, so a token containing either is silently dropped and every event refused.
export function ingestTokenProblem(token: string): string | undefined {
  if (token === '') {
    return undefined;
  }
  if (token.includes(',') || token.includes(':')) {
    return 'falcosidekick drops a header value containing "," or ":" (it splits WEBHOOK_CUSTOMHEADERS at them); generate a token instead';
  }
  // An HTTP header value cannot carry control characters, and spaces at either end are trimmed on the way.
  if (/[^\x21-\x7e]/.test(token)) {
    return 'Use visible ASCII characters only, without spaces';
  }
  if (token.length < 16) {
    return 'At least 16 characters; a generated token has 43';
  }
  return undefined;
}

// 32 random bytes from the browser's CSPRNG as base64url: 43 characters of [A-Za-z0-9_-], none that falcosidekick,
// YAML or compose treat specially.
export function generateIngestToken(random: (a: Uint8Array) => Uint8Array = (a) => crypto.getRandomValues(a)): string {
  const bytes = random(new Uint8Array(32));
  let binary = '';
  bytes.forEach((b) => (binary += String.fromCharCode(b)));
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

export interface WebhookSettings {
  address: string;
  customHeaders: string;
}

// Placeholders for what this page cannot know: Grafana keeps a saved token to itself, and the service account token
// is created under Administration → Service accounts.
export const SERVICE_ACCOUNT_PLACEHOLDER = '<service account token>';
export const TOKEN_PLACEHOLDER = '<ingest token>';

// config.webhook.address and config.webhook.customHeaders for this datasource. Grafana checks the service account's
// Authorization header and strips it; the datasource checks the ingest token.
export function webhookSettings(grafanaUrl: string, uid: string, token?: string): WebhookSettings {
  const base = grafanaUrl.trim().replace(/\/+$/, '');
  return {
    address: `${base}/api/datasources/uid/${encodeURIComponent(uid)}/resources/events`,
    customHeaders: `Authorization:Bearer ${SERVICE_ACCOUNT_PLACEHOLDER},${INGEST_TOKEN_HEADER}:${token || TOKEN_PLACEHOLDER}`,
  };
}

// falcosidekick sends one request at a time per HTTP output unless told otherwise (config.go:
// defaultMaxConcurrentHttpRequests = 1, applied to the webhook output too; 0 means unlimited). The store commits many
// concurrent requests in one transaction, so it takes far more events per second from many senders than from one
// (npm run bench:events: "events/s 1 sender" against "events/s 64 senders"; README, "Event store benchmark").
export const WEBHOOK_MAX_CONCURRENT_REQUESTS = 64;

// A YAML double-quoted scalar (JSON strings are valid YAML).
const yamlString = (s: string) => JSON.stringify(s);

// Values of the Falco chart (kube-prometheus-stack users install it next to the stack): enabling its falcosidekick
// subchart also turns on Falco's json_output and http_output to falcosidekick (falco.falcosidekickConfig in the chart).
export function helmValues(w: WebhookSettings): string {
  return [
    'falcosidekick:',
    '  enabled: true',
    '  config:',
    '    webhook:',
    `      address: ${yamlString(w.address)}`,
    `      customHeaders: ${yamlString(w.customHeaders)}`,
    `      maxconcurrentrequests: ${WEBHOOK_MAX_CONCURRENT_REQUESTS}`,
    '',
  ].join('\n');
}

// The environment of the falcosidekick service in docker-compose.yaml; "$" doubled so compose leaves it alone.
export function composeEnvironment(w: WebhookSettings): string {
  const escape = (s: string) => s.replace(/\$/g, '$$$$');
  return [
    'environment:',
    `  WEBHOOK_ADDRESS: ${yamlString(escape(w.address))}`,
    `  WEBHOOK_CUSTOMHEADERS: ${yamlString(escape(w.customHeaders))}`,
    `  WEBHOOK_MAXCONCURRENTREQUESTS: "${WEBHOOK_MAX_CONCURRENT_REQUESTS}"`,
    '',
  ].join('\n');
}
