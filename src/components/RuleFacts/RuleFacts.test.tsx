import React from 'react';
import { render, screen } from '@testing-library/react';
import { of, throwError } from 'rxjs';
import type { ValidateResult } from '../../api/rules';
import { colorManipulator } from '@grafana/data';
import { FALCO_PRIORITY_COLORS } from '../../scenes/priorityColors';
import { RuleFacts } from './RuleFacts';

const fetch = jest.fn();
jest.mock('@grafana/runtime', () => ({
  ...jest.requireActual('@grafana/runtime'),
  getBackendSrv: () => ({ fetch }),
}));

// What the Falco datasource answers for no custom files: the default ruleset with its facts (pkg/rules RuleInfo).
const defaults: ValidateResult = {
  diagnostics: [],
  rules: [
    {
      name: 'Terminal shell in container',
      priority: 'Notice',
      source: 'syscall',
      tags: ['maturity_stable', 'container', 'shell', 'mitre_execution', 'T1059'],
      mitre: ['execution'],
      enabled: true,
      file: 'falco_rules.yaml',
      default: true,
    },
  ],
  macros: 0,
  lists: 0,
};

beforeEach(() => fetch.mockReset());

test('shows a default rule with its priority, source, tags and MITRE mapping, asked from the provisioned Falco datasource', async () => {
  fetch.mockReturnValue(of({ data: defaults }));
  render(<RuleFacts rule="Terminal shell in container" />);
  expect(await screen.findByText('Notice')).toBeInTheDocument();
  expect(screen.getByRole('link', { name: /Execution \(TA0002\)/ })).toHaveAttribute(
    'href',
    'https://attack.mitre.org/tactics/TA0002/'
  );
  expect(screen.getByRole('link', { name: /T1059 Command and Scripting Interpreter/ })).toBeInTheDocument();
  expect(screen.getByText('Tags maturity_stable, container, shell')).toBeInTheDocument();
  const req = fetch.mock.calls[0][0];
  expect(req.url).toBe('/api/datasources/uid/falco/resources/rules/validate');
  expect(req.data.files).toEqual([{ name: 'defaults_only.yaml', content: '' }]);
});

test('a rule the default ruleset does not have is called custom', async () => {
  fetch.mockReturnValue(of({ data: defaults }));
  render(<RuleFacts rule="Curl in container" />);
  expect(await screen.findByText("Not in Falco's default ruleset: a custom rule.")).toBeInTheDocument();
});

test('says so when the Falco datasource does not answer', async () => {
  fetch.mockReturnValue(throwError(() => ({ status: 404, data: { error: 'datasource not found' } })));
  render(<RuleFacts rule="Terminal shell in container" />);
  expect(await screen.findByText("The rule's definition is not available")).toBeInTheDocument();
  expect(screen.getByText(/datasource not found \(HTTP 404\)/)).toBeInTheDocument();
});

test("the rule's priority badge is in that priority's colour (a Critical rule is not orange)", async () => {
  const critical = {
    ...defaults,
    rules: [{ ...defaults.rules[0], name: 'Drop and execute new binary', priority: 'CRITICAL' }],
  };
  fetch.mockReturnValue(of({ data: critical }));
  render(<RuleFacts rule="Drop and execute new binary" />);
  const badge = await screen.findByText('Critical');
  expect(colorManipulator.asHexString(badge.style.background).toUpperCase()).toBe(FALCO_PRIORITY_COLORS.Critical);
});
