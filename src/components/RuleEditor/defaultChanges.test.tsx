import React from 'react';
import { render, screen, within } from '@testing-library/react';
import { changesToRules } from './defaultChanges';
import { EffectiveRules } from './EffectiveRules';

const CUSTOM = {
  name: 'custom_rules.yaml',
  content: `
- rule: Terminal shell in container
  condition: and not proc.pname in (my_debugger)
  override:
    condition: append
- rule: Read sensitive file untrusted
  output: Sensitive file read (file=%fd.name user=%user.name)
  override:
    output: replace
- rule: Contact K8S API Server From Container
  enabled: false
- rule: Launch Privileged Container
  exceptions: []
  append: true
- rule: My own rule
  desc: new
  condition: evt.type = execve
  output: x
  priority: WARNING
`,
};

test('each way a file changes a default rule (override append/replace, append: true, enabled) is named with its file', () => {
  const changes = changesToRules([CUSTOM, { name: 'broken.yaml', content: '- rule: [' }]);
  expect(Object.fromEntries(changes)).toEqual({
    'Terminal shell in container': ['appends to condition (custom_rules.yaml)'],
    'Read sensitive file untrusted': ['replaces output (custom_rules.yaml)'],
    'Contact K8S API Server From Container': ['disables it (custom_rules.yaml)'],
    'Launch Privileged Container': ['appends to exceptions (custom_rules.yaml)'],
  });
});

test('the effective rules table marks the default rules the files change, and only those', () => {
  const rule = (name: string, isDefault: boolean, enabled = true) => ({
    name,
    priority: 'Notice',
    source: 'syscall',
    tags: [],
    enabled,
    file: isDefault ? 'falco_rules.yaml' : 'custom_rules.yaml',
    default: isDefault,
  });
  render(
    <EffectiveRules
      rules={[
        rule('Terminal shell in container', true),
        rule('Contact K8S API Server From Container', true, false),
        rule('Clear Log Activities', true),
        rule('My own rule', false),
      ]}
      files={[CUSTOM]}
    />
  );
  expect(screen.getAllByText('changed by your files')).toHaveLength(2);
  const changed = screen.getByText('appends to condition (custom_rules.yaml)').closest('tr')!;
  expect(within(changed).getByText('Terminal shell in container')).toBeInTheDocument();
  expect(screen.getByText('disables it (custom_rules.yaml)')).toBeInTheDocument();
  const untouched = screen.getByText('Clear Log Activities').closest('tr')!;
  expect(within(untouched).queryByText('changed by your files')).not.toBeInTheDocument();
});
