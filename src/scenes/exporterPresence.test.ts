import { of, throwError } from 'rxjs';
import { forgetExporterPresence, missingExporters } from './exporterPresence';

const fetch = jest.fn();
jest.mock('@grafana/runtime', () => ({
  ...jest.requireActual('@grafana/runtime'),
  getBackendSrv: () => ({ fetch }),
}));

// Prometheus' /api/v1/series answer for each probe metric.
function seriesAnswer(present: Record<string, boolean>) {
  return (req: { params: Record<string, string> }) =>
    of({
      data: { status: 'success', data: present[req.params['match[]']] ? [{ __name__: req.params['match[]'] }] : [] },
    });
}

beforeEach(() => {
  fetch.mockReset();
  forgetExporterPresence();
});

test('an exporter without series is missing; the lookup asks for one series of its probe metric', async () => {
  fetch.mockImplementation(seriesAnswer({ container_cpu_usage_seconds_total: true }));
  expect(await missingExporters('prom-prod', ['cadvisor', 'falcosidekick'])).toEqual(['falcosidekick']);
  const urls = fetch.mock.calls.map(([req]) => [req.url, req.params['match[]'], req.params.limit]);
  expect(urls).toEqual([
    ['/api/datasources/uid/prom-prod/resources/api/v1/series', 'container_cpu_usage_seconds_total', 1],
    ['/api/datasources/uid/prom-prod/resources/api/v1/series', 'falcosecurity_falcosidekick_inputs_total', 1],
  ]);
});

test('each exporter is looked up once per datasource', async () => {
  fetch.mockImplementation(seriesAnswer({}));
  await missingExporters('prom-prod', ['falco']);
  await missingExporters('prom-prod', ['falco']);
  await missingExporters('prom-staging', ['falco']);
  expect(fetch.mock.calls.map(([req]) => req.url)).toEqual([
    '/api/datasources/uid/prom-prod/resources/api/v1/series',
    '/api/datasources/uid/prom-staging/resources/api/v1/series',
  ]);
});

test('when Prometheus cannot be asked, nothing is reported missing', async () => {
  fetch.mockReturnValue(throwError(() => ({ status: 403, data: { message: 'forbidden' } })));
  expect(await missingExporters('prom-prod', ['kyverno'])).toEqual([]);
});
