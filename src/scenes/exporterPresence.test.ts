import { of, throwError } from 'rxjs';
import { forgetExporterPresence, missingExporters } from './exporterPresence';
import { FALCOSIDEKICK_PROBE } from '../queries/exporters';

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
    ['/api/datasources/uid/prom-prod/resources/api/v1/series', FALCOSIDEKICK_PROBE, 1],
  ]);
});

test('each exporter is looked up once per datasource while the answer is fresh', async () => {
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

test('a missing exporter is asked again after a minute, a present one after ten', async () => {
  const now = jest.spyOn(Date, 'now').mockReturnValue(1_000_000);
  try {
    fetch.mockImplementation(seriesAnswer({ container_cpu_usage_seconds_total: true }));
    expect(await missingExporters('prom-prod', ['cadvisor', 'falcosidekick'])).toEqual(['falcosidekick']);
    expect(fetch).toHaveBeenCalledTimes(2);

    // falcosidekick gets installed; within the minute the old answer stands.
    fetch.mockImplementation(seriesAnswer({ container_cpu_usage_seconds_total: true, [FALCOSIDEKICK_PROBE]: true }));
    now.mockReturnValue(1_000_000 + 59_000);
    expect(await missingExporters('prom-prod', ['cadvisor', 'falcosidekick'])).toEqual(['falcosidekick']);
    expect(fetch).toHaveBeenCalledTimes(2);

    // After it, only the missing one is asked again, and now it is there.
    now.mockReturnValue(1_000_000 + 61_000);
    expect(await missingExporters('prom-prod', ['cadvisor', 'falcosidekick'])).toEqual([]);
    expect(fetch).toHaveBeenCalledTimes(3);
    expect(fetch.mock.calls[2][0].params['match[]']).toBe(FALCOSIDEKICK_PROBE);

    // cAdvisor is asked again after ten minutes.
    now.mockReturnValue(1_000_000 + 601_000);
    await missingExporters('prom-prod', ['cadvisor']);
    expect(fetch).toHaveBeenCalledTimes(4);
  } finally {
    now.mockRestore();
  }
});

test('panels asking at the same time share one request', async () => {
  fetch.mockImplementation(seriesAnswer({}));
  const answers = await Promise.all([
    missingExporters('prom-prod', ['falco']),
    missingExporters('prom-prod', ['falco']),
    missingExporters('prom-prod', ['falco']),
  ]);
  expect(answers).toEqual([['falco'], ['falco'], ['falco']]);
  expect(fetch).toHaveBeenCalledTimes(1);
});

test("a dashboard's time range is the probe's range: last week's exporters count for last week", async () => {
  fetch.mockImplementation(seriesAnswer({ falcosecurity_falco_version_info: true }));
  const lastWeek = { from: 1_700_000_000, to: 1_700_000_000 + 6 * 3600 };
  await missingExporters('prom-prod', ['falco'], lastWeek);
  expect(fetch.mock.calls[0][0].params).toMatchObject({
    start: 1_700_000_000 - 20,
    end: 1_700_000_000 + 6 * 3600 + 40,
  });
  // Another range is another question; the same range, asked again, is answered from the cache.
  await missingExporters('prom-prod', ['falco'], { from: lastWeek.from - 86400, to: lastWeek.to - 86400 });
  await missingExporters('prom-prod', ['falco'], lastWeek);
  expect(fetch).toHaveBeenCalledTimes(2);
});

test('without a range, the probe covers the last day up to now', async () => {
  const now = jest.spyOn(Date, 'now').mockReturnValue(1_800_000_000_000);
  try {
    fetch.mockImplementation(seriesAnswer({}));
    await missingExporters('prom-prod', ['falco']);
    expect(fetch.mock.calls[0][0].params).toMatchObject({ start: 1_800_000_000 - 86400, end: 1_800_000_000 });
  } finally {
    now.mockRestore();
  }
});
