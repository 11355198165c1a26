import { parse as load } from 'yaml';
import {
  composeEnvironment,
  generateIngestToken,
  helmValues,
  ingestTokenProblem,
  webhookSettings,
} from './falcosidekick';

// falcosidekick's config.go parses WEBHOOK_CUSTOMHEADERS (the chart's config.webhook.customHeaders) like this:
// split at ",", then each at ":", keeping a header only when that gives exactly two parts.
function falcosidekickHeaders(env: string): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const label of env.split(',')) {
    const parts = label.split(':');
    if (parts.length === 2) {
      headers[parts[0]] = parts[1];
    }
  }
  return headers;
}

test.each([
  ['abc,defghijklmnopqrs', /","/],
  ['abc:defghijklmnopqrs', /":"/],
  ['has space inside token', /without spaces/],
  ['tab\there-0123456789', /without spaces/],
  ['ünïcödé-0123456789', /ASCII/],
  ['short', /16 characters/],
])('the token %j is refused', (token, message) => {
  expect(ingestTokenProblem(token)).toMatch(message);
});

test('an empty token (nothing typed yet) and a generated one are fine', () => {
  expect(ingestTokenProblem('')).toBeUndefined();
  expect(ingestTokenProblem('e2e-ingest-token')).toBeUndefined();
  expect(ingestTokenProblem(generateIngestToken())).toBeUndefined();
});

test("a generated token is 32 random bytes in base64url and survives falcosidekick's header parsing", () => {
  const token = generateIngestToken(() => new Uint8Array(32).map((_, i) => 250 - i)); // bytes that give + and /
  expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
  const { customHeaders } = webhookSettings('http://grafana:3000', 'falco', token);
  expect(falcosidekickHeaders(customHeaders)['X-Containersec-Ingest-Token']).toBe(token);
  expect(generateIngestToken()).not.toBe(generateIngestToken());
});

test("the webhook address is the datasource's events resource under Grafana's URL, sub path kept", () => {
  expect(webhookSettings('https://grafana.example.com/grafana/', 'P1a2-b_3', 'x').address).toBe(
    'https://grafana.example.com/grafana/api/datasources/uid/P1a2-b_3/resources/events'
  );
});

test('both headers reach falcosidekick intact; a service account token has no "," or ":"', () => {
  const w = webhookSettings('http://grafana:3000', 'falco', 'tok_0123456789abcdef');
  const headers = falcosidekickHeaders(w.customHeaders.replace('<service account token>', 'glsa_Abc123_ff00aa'));
  expect(headers).toEqual({
    Authorization: 'Bearer glsa_Abc123_ff00aa',
    'X-Containersec-Ingest-Token': 'tok_0123456789abcdef',
  });
});

test("the Helm values are YAML for the Falco chart's falcosidekick subchart", () => {
  const w = webhookSettings('http://kps-grafana.monitoring.svc', 'falco', 'tok_0123456789abcdef');
  expect(load(helmValues(w))).toEqual({
    falcosidekick: {
      enabled: true,
      config: { webhook: { address: w.address, customHeaders: w.customHeaders, maxconcurrentrequests: 64 } },
    },
  });
});

test('the compose environment doubles "$" so compose does not interpolate it', () => {
  const w = { address: 'http://grafana:3000/x', customHeaders: 'Authorization:Bearer a$b' };
  expect(load(composeEnvironment(w))).toEqual({
    environment: {
      WEBHOOK_ADDRESS: 'http://grafana:3000/x',
      WEBHOOK_CUSTOMHEADERS: 'Authorization:Bearer a$$b',
      WEBHOOK_MAXCONCURRENTREQUESTS: '64',
    },
  });
});
