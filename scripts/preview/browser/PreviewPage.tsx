import React from 'react';
import type { PluginPageProps } from '@grafana/runtime';
import { Tab, TabsBar, Text } from '@grafana/ui';
import { Link } from 'react-router-dom';
import type { NavModelItem } from '@grafana/data';

// Grafana's page chrome for app pages (breadcrumb, title, tabs), drawn plainly so the screenshots show where they are.
function trail(item?: NavModelItem): NavModelItem[] {
  return item ? [...trail(item.parentItem), item] : [];
}

export function PreviewPage({ pageNav, children }: PluginPageProps) {
  const crumbs = trail(pageNav);
  return (
    <div style={{ padding: '8px 24px', display: 'flex', flexDirection: 'column', gap: 8 }}>
      <nav data-testid="preview-breadcrumb" style={{ display: 'flex', gap: 8 }}>
        {crumbs.map((c, i) => (
          <span key={i}>
            {c.url ? <Link to={c.url}>{c.text}</Link> : c.text} {i < crumbs.length - 1 ? '›' : ''}
          </span>
        ))}
      </nav>
      {pageNav && <Text element="h1">{pageNav.text}</Text>}
      {pageNav?.subTitle && <Text color="secondary">{pageNav.subTitle}</Text>}
      {pageNav?.children?.length ? (
        <TabsBar>
          {pageNav.children.map((tab) => (
            <Tab key={tab.url} label={tab.text} href={tab.url} active={tab.active} />
          ))}
        </TabsBar>
      ) : null}
      {children}
    </div>
  );
}
