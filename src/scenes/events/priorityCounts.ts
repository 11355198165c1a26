import { DataFrame, FieldType } from '@grafana/data';
import { map, Observable } from 'rxjs';
import { priorityColor, priorityName, priorityRank } from './priority';

// eventCounts grouped by priority gives one frame per priority with labels {priority: "Critical"}: each series gets
// its priority's fixed colour and name, and the most severe is stacked at the bottom, so the colours mean the same
// on every page whatever order the series come in.
export function colourByPriority(frames: DataFrame[]): DataFrame[] {
  const priorityOf = (frame: DataFrame) =>
    frame.fields.find((f) => f.type === FieldType.number)?.labels?.priority ?? frame.name ?? '';
  return [...frames]
    .sort((a, b) => priorityRank(priorityOf(a)) - priorityRank(priorityOf(b)))
    .map((frame) => {
      const raw = priorityOf(frame);
      const color = priorityColor(raw);
      return {
        ...frame,
        fields: frame.fields.map((field) =>
          field.type !== FieldType.number
            ? field
            : {
                ...field,
                config: {
                  ...field.config,
                  displayNameFromDS: priorityName(raw) ?? raw,
                  ...(color ? { color: { mode: 'fixed', fixedColor: color } } : {}),
                },
              }
        ),
      };
    });
}

// The same as a scenes transformation operator.
export const colourByPriorityOperator = () => (source: Observable<DataFrame[]>) => source.pipe(map(colourByPriority));
