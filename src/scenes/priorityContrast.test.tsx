import React from 'react';
import { render, screen } from '@testing-library/react';
import { colorManipulator, createTheme } from '@grafana/data';
import { getTextColorForAlphaBackground } from '@grafana/ui';
import { PriorityBadge } from './events/PriorityBadge';
import { FALCO_PRIORITIES, FALCO_PRIORITY_COLORS } from './priorityColors';
import { SEVERITY_COLORS, SEVERITY_ORDER } from './severityColors';

const ratio = colorManipulator.getContrastRatio;
const THEMES = [createTheme({ colors: { mode: 'dark' } }), createTheme({ colors: { mode: 'light' } })];
const PALETTE: Array<[string, string]> = [
  ...FALCO_PRIORITIES.map((p) => [`priority ${p}`, FALCO_PRIORITY_COLORS[p]] as [string, string]),
  ...SEVERITY_ORDER.map((s) => [`severity ${s}`, SEVERITY_COLORS[s]] as [string, string]),
];

describe.each(THEMES.map((t) => [t.name, t] as const))('in the %s theme', (_name, theme) => {
  test.each(PALETTE)('%s stands out from the page (>= 3:1) and its name on it is AA text (>= 4.5:1)', (_, name) => {
    const color = theme.visualization.getColorByName(name);
    // A series, a dot or a coloured cell on the panel and on the page behind it (WCAG 1.4.11 non-text contrast).
    for (const background of [theme.colors.background.primary, theme.colors.background.canvas]) {
      expect(ratio(color, background)).toBeGreaterThanOrEqual(3);
    }
    // The text Grafana's tables write on a coloured cell, and the badge uses the same (WCAG 1.4.3).
    expect(ratio(getTextColorForAlphaBackground(color, theme.isDark), color)).toBeGreaterThanOrEqual(4.5);
  });
});

test("Grafana's named yellow, the old Warning, is what failed on white: the palette does not use named colours", () => {
  const light = THEMES[1];
  expect(ratio(light.visualization.getColorByName('yellow'), light.colors.background.primary)).toBeLessThan(2);
  for (const [, color] of PALETTE) {
    expect(color).toMatch(/^#[0-9A-F]{6}$/);
  }
  expect(new Set(FALCO_PRIORITIES.map((p) => FALCO_PRIORITY_COLORS[p])).size).toBe(FALCO_PRIORITIES.length);
});

test('a priority badge is the priority colour with the readable text on it, whatever the spelling', () => {
  render(<PriorityBadge priority="CRITICAL" />);
  const badge = screen.getByText('Critical');
  const bg = badge.style.background || badge.style.backgroundColor;
  expect(colorManipulator.asHexString(bg).toUpperCase()).toBe(FALCO_PRIORITY_COLORS.Critical);
  expect(ratio(badge.style.color, bg)).toBeGreaterThanOrEqual(4.5);
});
