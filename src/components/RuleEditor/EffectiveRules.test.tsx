import React from 'react';
import { fireEvent, render, screen } from '@testing-library/react';
import { locationService } from '@grafana/runtime';
import { EffectiveRules } from './EffectiveRules';

const rule = (name: string) => ({
  name,
  priority: 'Notice',
  source: 'syscall',
  tags: [],
  enabled: true,
  file: 'f.yaml',
});
const RULES = [rule('Terminal shell in container'), rule('Read sensitive file untrusted'), rule('<b>x</b>')] as any;

afterEach(() => locationService.replace('/'));

test('a link from an event (?rule=) shows that rule only, until the user asks for all', () => {
  locationService.replace('/a/containersec-security-app/rules?rule=Terminal%20shell%20in%20container');
  render(<EffectiveRules rules={RULES} />);
  expect(screen.getByText('1 of 3 rules')).toBeInTheDocument();
  expect(screen.getByText('Showing rule: Terminal shell in container')).toBeInTheDocument();
  fireEvent.click(screen.getByRole('button', { name: /Show all rules/ }));
  expect(screen.getByText('3 of 3 rules')).toBeInTheDocument();
});

test('without ?rule= every rule is listed; a hostile name in the URL stays text', () => {
  render(<EffectiveRules rules={RULES} />);
  expect(screen.getByText('3 of 3 rules')).toBeInTheDocument();
  locationService.replace('/rules?rule=%3Cb%3Ex%3C%2Fb%3E');
  render(<EffectiveRules rules={RULES} />);
  expect(screen.getByText('Showing rule: <b>x</b>')).toBeInTheDocument();
  expect(document.querySelector('b')).toBeNull();
});
