// The setter Grafana core uses for app pages' chrome; @grafana/runtime ships it but does not export it.
declare module '*/@grafana/runtime/dist/esm/components/PluginPage.mjs' {
  import type { ComponentType } from 'react';
  import type { PluginPageProps } from '@grafana/runtime';
  export function setPluginPage(component: ComponentType<PluginPageProps>): void;
}
