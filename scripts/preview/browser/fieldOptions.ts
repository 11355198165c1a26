import {
  dataLinksOverrideProcessor,
  displayNameOverrideProcessor,
  FieldColorModeId,
  FieldConfigPropertyItem,
  identityOverrideProcessor,
  numberOverrideProcessor,
  standardFieldConfigEditorRegistry,
  standardTransformers,
  standardTransformersRegistry,
  stringOverrideProcessor,
  thresholdsOverrideProcessor,
  ThresholdsMode,
  valueMappingsOverrideProcessor,
} from '@grafana/data';

// Grafana core registers the standard field options (unit, min, links, ...) at start-up; the preview registers the
// same ids and processors without their editors, so applyFieldOverrides treats a panel's field config as Grafana does.
const NO_EDITOR = () => null;

function option(id: string, process: FieldConfigPropertyItem['process'], defaultValue?: unknown) {
  return {
    id,
    path: id,
    name: id,
    editor: NO_EDITOR,
    override: NO_EDITOR,
    process,
    shouldApply: () => true,
    defaultValue,
    settings: {},
  } as FieldConfigPropertyItem;
}

export function registerStandardFieldOptions(): void {
  standardFieldConfigEditorRegistry.setInit(() => [
    option('unit', stringOverrideProcessor),
    option('min', numberOverrideProcessor),
    option('max', numberOverrideProcessor),
    option('decimals', numberOverrideProcessor),
    option('displayName', displayNameOverrideProcessor),
    option('noValue', stringOverrideProcessor),
    option('color', identityOverrideProcessor, { mode: FieldColorModeId.Thresholds }),
    option('thresholds', thresholdsOverrideProcessor, {
      mode: ThresholdsMode.Absolute,
      steps: [
        { value: -Infinity, color: 'green' },
        { value: 80, color: 'red' },
      ],
    }),
    option('mappings', valueMappingsOverrideProcessor, []),
    option('links', dataLinksOverrideProcessor, []),
  ]);
}

// Grafana core also registers its standard transformations (organize, ...); panels' SceneDataTransformers look them up.
export function registerStandardTransformers(): void {
  standardTransformersRegistry.setInit(
    () =>
      // The table lists some transformations under two names; register each once.
      [...new Map(Object.values(standardTransformers).map((info) => [info.id, info])).values()].map((info) => ({
        id: info.id,
        aliasIds: info.aliasIds,
        name: info.name,
        description: info.description,
        editor: NO_EDITOR,
        transformation: () => Promise.resolve(info),
      })) as any
  );
}
