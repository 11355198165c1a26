import { createDataFrame, FieldType } from '@grafana/data';
import { FALCO_PRIORITIES, FALCO_PRIORITY_COLORS } from '../priorityColors';
import { priorityColor } from './priority';
import { colourByPriority } from './priorityCounts';

const PRIORITY_COLORS = {
  emergency: FALCO_PRIORITY_COLORS.Emergency,
  critical: FALCO_PRIORITY_COLORS.Critical,
  warning: FALCO_PRIORITY_COLORS.Warning,
  notice: FALCO_PRIORITY_COLORS.Notice,
  debug: FALCO_PRIORITY_COLORS.Debug,
};

// eventCounts grouped by priority: one frame per priority, value field labelled {priority: "<Falco spelling>"}.
const series = (priority: string) =>
  createDataFrame({
    fields: [
      { name: 'time', type: FieldType.time, values: [1, 2] },
      { name: 'value', type: FieldType.number, values: [0, 3], labels: { priority } },
    ],
  });

test('every priority has its own fixed colour', () => {
  const colors = FALCO_PRIORITIES.map((p) => FALCO_PRIORITY_COLORS[p]);
  expect(new Set(colors).size).toBe(FALCO_PRIORITIES.length);
  expect(priorityColor('CRITICAL')).toBe(FALCO_PRIORITY_COLORS.Critical);
  expect(priorityColor('info')).toBe(FALCO_PRIORITY_COLORS.Informational);
  expect(priorityColor('<b>x</b>')).toBeUndefined();
});

test('series get their priority colour and name whatever order they arrive in, most severe first', () => {
  const frames = colourByPriority([series('Notice'), series('Debug'), series('Critical'), series('Emergency')]);
  const shown = frames.map((f) => {
    const value = f.fields[1];
    return [value.config.displayNameFromDS, value.config.color?.fixedColor];
  });
  expect(shown).toEqual([
    ['Emergency', PRIORITY_COLORS.emergency],
    ['Critical', PRIORITY_COLORS.critical],
    ['Notice', PRIORITY_COLORS.notice],
    ['Debug', PRIORITY_COLORS.debug],
  ]);
  expect(frames[0].fields[0].config.color).toBeUndefined(); // the time field is left alone
});

test('a priority Falco does not have keeps its name, gets no colour and goes last', () => {
  const frames = colourByPriority([series('bogus'), series('warning')]);
  expect(frames.map((f) => f.fields[1].config.displayNameFromDS)).toEqual(['Warning', 'bogus']);
  expect(frames[1].fields[1].config.color).toBeUndefined();
});
