import React from 'react';
import { render, waitFor } from '@testing-library/react';
import { SceneFlexLayout } from '@grafana/scenes';
import { LazySceneBody } from './LazySceneBody';

// EmbeddedScene lays its body out in a flex row: the body must grow to the page's width, or the dashboard grid under
// it measures only its content and stacks every panel in one narrow column (as it does on a phone).
test('the page body grows to the width of the scene it sits in', async () => {
  const body = new LazySceneBody(async () => new SceneFlexLayout({ children: [] }));
  const { container } = render(
    <div style={{ display: 'flex', width: 1600 }}>
      <body.Component model={body} />
    </div>
  );
  body.activate();
  await waitFor(() => expect(body.state.body).toBeDefined());
  expect(container.firstChild!.firstChild).toHaveStyle({ flexGrow: '1' });
});
