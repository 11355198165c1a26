import React from 'react';
import { css } from '@emotion/css';
import type { GrafanaTheme2 } from '@grafana/data';
import { SceneComponentProps, SceneGridRow, sceneGraph } from '@grafana/scenes';
import { useStyles2 } from '@grafana/ui';

// A page's row of panels, drawn as a real heading: @grafana/scenes' SceneGridRow puts role="heading" without an
// aria-level inside its collapse button (axe: aria-required-attr, critical). The app's rows never collapse.
export class PageRow extends SceneGridRow {
  static Component = PageRowRenderer;
}

function PageRowRenderer({ model }: SceneComponentProps<PageRow>) {
  const styles = useStyles2(getStyles);
  const { title } = model.useState();
  return (
    <div className={styles.row}>
      <h2 className={styles.title}>{sceneGraph.interpolate(model, title, undefined, 'text')}</h2>
    </div>
  );
}

// The same look as SceneGridRow's title (h5 size, medium weight, one line).
const getStyles = (theme: GrafanaTheme2) => ({
  row: css({ width: '100%', height: '30px', display: 'flex', alignItems: 'center' }),
  title: css({
    margin: 0,
    fontSize: theme.typography.h5.fontSize,
    fontWeight: theme.typography.fontWeightMedium,
    whiteSpace: 'nowrap',
    overflow: 'hidden',
    textOverflow: 'ellipsis',
  }),
});
