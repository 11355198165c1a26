import React from 'react';
import { SceneComponentProps, SceneObject, SceneObjectBase, SceneObjectState } from '@grafana/scenes';
import { Alert, LoadingPlaceholder, Stack } from '@grafana/ui';

export interface LazySceneBodyState extends SceneObjectState {
  header?: SceneObject; // shown at once, above the panels (Overview's setup check)
  body?: SceneObject;
  error?: string;
}

// A page's panels live in their own chunk: the body is imported the first time the page is shown.
export class LazySceneBody extends SceneObjectBase<LazySceneBodyState> {
  static Component = LazySceneBodyRenderer;
  private loading?: Promise<SceneObject | undefined>;

  constructor(
    private readonly load: () => Promise<SceneObject>,
    header?: SceneObject
  ) {
    super({ header });
    this.addActivationHandler(() => {
      this.loaded();
    });
  }

  // The body once its chunk is in; undefined when the chunk could not be loaded.
  public loaded(): Promise<SceneObject | undefined> {
    if (!this.loading) {
      this.loading = this.load().then(
        (body) => {
          this.setState({ body });
          return body;
        },
        (err: unknown) => {
          this.setState({ error: err instanceof Error ? err.message : String(err) });
          return undefined;
        }
      );
    }
    return this.loading;
  }
}

function LazySceneBodyRenderer({ model }: SceneComponentProps<LazySceneBody>) {
  const { header, body, error } = model.useState();
  let panels = body ? <body.Component model={body} /> : <LoadingPlaceholder text="Loading panels…" />;
  if (error) {
    panels = (
      <Alert severity="error" title="This page could not be loaded">
        {error}
      </Alert>
    );
  }
  // The scene's body is a flex row: without grow the grid measures its content, not the page, and lays out as on a phone.
  return (
    <Stack direction="column" gap={2} grow={1}>
      {header && <header.Component model={header} />}
      {panels}
    </Stack>
  );
}
