import { SceneGridItem, SceneGridLayout } from '@grafana/scenes';
import { LibraryPanel } from './LibraryPanel';
import { PageRow } from './PageRow';
import type { PanelContext } from './queryParams';
import type { PageSpec } from './spec';

const GRID_COLUMNS = 24;
const DEFAULT_WIDTH = 12;
const DEFAULT_HEIGHT = 8;

// A page spec as Grafana's dashboard grid: panels fill each row left to right and wrap at 24 columns.
export function buildPageLayout(spec: PageSpec, context: PanelContext): SceneGridLayout {
  let y = 0;
  const rows = spec.rows.map((row) => {
    const rowY = y++;
    let x = 0;
    let lineHeight = 0;
    const children = row.panels.map((panel) => {
      const width = Math.min(panel.width ?? DEFAULT_WIDTH, GRID_COLUMNS);
      const height = panel.height ?? DEFAULT_HEIGHT;
      if (x + width > GRID_COLUMNS) {
        x = 0;
        y += lineHeight;
        lineHeight = 0;
      }
      const item = new SceneGridItem({ x, y, width, height, body: new LibraryPanel({ spec: panel, context }) });
      x += width;
      lineHeight = Math.max(lineHeight, height);
      return item;
    });
    y += lineHeight;
    return new PageRow({ title: row.title ?? '', y: rowY, x: 0, width: GRID_COLUMNS, height: 1, children });
  });
  return new SceneGridLayout({ isDraggable: false, isResizable: false, children: rows });
}
