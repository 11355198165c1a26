import { buildSceneApp } from './App';

test('the app mounts its pages from the route table under the plugin URL', () => {
  const app = buildSceneApp(undefined);
  const urls = app.state.pages.map((p) => p.state.url);
  expect(urls).toEqual(['/a/containersec-security-app/overview']);
});
