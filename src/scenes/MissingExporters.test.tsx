import React from 'react';
import { render, screen } from '@testing-library/react';
import { EXPORTERS } from '../queries';
import { MissingExporters } from './MissingExporters';

// In a narrow grid cell (a drilldown's risk score is a quarter of the page) the how-to text, full of unbreakable
// chart values, ran out of its box over the next panel.
test('the missing-exporter message wraps long chart values and scrolls inside its grid cell', () => {
  render(<MissingExporters title="Risk score" exporters={['falcosidekick']} />);
  expect(screen.getByText(EXPORTERS.falcosidekick.howToEnable)).toBeInTheDocument();
  expect(screen.getByTestId('missing-exporters')).toHaveStyle({
    height: '100%',
    overflow: 'auto',
    overflowWrap: 'anywhere',
  });
});
