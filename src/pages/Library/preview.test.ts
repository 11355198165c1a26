import { getQuery } from '../../queries';
import { previewQuery } from './preview';

test("the preview of a container's limits is one instant query, though the entry is a stat", () => {
  expect(previewQuery(getQuery('workload.pod.cpu_limits'), 'x', undefined)).toMatchObject({
    instant: true,
    range: false,
    format: 'time_series',
  });
});

test('the preview of a stat of history (events in the range) stays a range query', () => {
  expect(previewQuery(getQuery('falco.events.critical_and_above'), 'x', undefined)).toMatchObject({
    instant: false,
    range: true,
  });
});
