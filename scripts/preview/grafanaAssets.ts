// The assets Grafana core serves from its public folder and no @grafana npm package ships: the fonts GlobalStyles'
// @font-face rules load, and the few icons only core has (the spinner of a loading panel, the time picker's
// angle-double-left). The preview serves the same typefaces and Iconscout Unicons glyphs (the set Grafana's icons are).
import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { dirname, join } from 'node:path';

const fontFile = (pkg: string, file: string) => join(dirname(require.resolve(`${pkg}/package.json`)), 'files', file);

// Path under fonts/ (as @grafana/ui's GlobalStyles/fonts writes it) -> the woff2 file of the same face.
export const GRAFANA_FONTS: Record<string, string> = {
  'inter/Inter-Regular.woff2': fontFile('@fontsource/inter', 'inter-latin-400-normal.woff2'),
  'inter/Inter-Medium.woff2': fontFile('@fontsource/inter', 'inter-latin-500-normal.woff2'),
  'inter/Inter-Italic.woff2': fontFile('@fontsource/inter', 'inter-latin-400-italic.woff2'),
  'inter/Inter-MediumItalic.woff2': fontFile('@fontsource/inter', 'inter-latin-500-italic.woff2'),
  // Grafana's code font is Roboto Mono, under its Google Fonts file name.
  'roboto/L0xTDF4xlVMF-BfR8bXMIhJHg45mwgGEFl0_3vrtSM1J-gEPT5Ese6hmHSh0mQ.woff2': fontFile(
    '@fontsource/roboto-mono',
    'roboto-mono-latin-400-normal.woff2'
  ),
};

// Icon path (unicons/<name>.svg) -> the Unicons React component of that glyph, for icons @grafana/ui lacks.
const CORE_ICONS: Record<string, string> = {
  'unicons/spinner.svg': '@iconscout/react-unicons/icons/uil-spinner',
  'unicons/angle-double-left.svg': '@iconscout/react-unicons/icons/uil-angle-double-left',
};

export function coreIcon(path: string): string | undefined {
  const module = CORE_ICONS[path];
  if (!module) {
    return undefined;
  }
  const Icon = require(module).default;
  return renderToStaticMarkup(createElement(Icon, { size: 24, color: 'currentColor' }));
}
