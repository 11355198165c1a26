import { of, throwError } from 'rxjs';
import { getLabRules, getRulesCatalog, validateRules } from './rules';

const fetch = jest.fn();
jest.mock('@grafana/runtime', () => ({
  ...jest.requireActual('@grafana/runtime'),
  getBackendSrv: () => ({ fetch }),
}));

beforeEach(() => fetch.mockReset());

test('validateRules posts the files to the datasource resource, the uid escaped, without Grafana popups', async () => {
  fetch.mockReturnValue(of({ data: { diagnostics: [], rules: null, macros: 2, lists: 1 } }));
  const files = [{ name: 'custom.yaml', content: '- list: a\n  items: []\n' }];
  await expect(validateRules('falco/../x', files)).resolves.toEqual({
    diagnostics: [],
    rules: [],
    macros: 2,
    lists: 1,
  });
  expect(fetch).toHaveBeenCalledWith({
    url: '/api/datasources/uid/falco%2F..%2Fx/resources/rules/validate',
    method: 'POST',
    data: { files },
    showErrorAlert: false,
    showSuccessAlert: false,
  });
});

test("a refused request becomes an error carrying the backend's message and status", async () => {
  fetch.mockReturnValue(
    throwError(() => ({
      status: 413,
      data: { error: 'file "a.yaml" is 2000000 bytes; a rules file may have at most 1048576' },
    }))
  );
  await expect(validateRules('falco', [])).rejects.toThrow(
    'file "a.yaml" is 2000000 bytes; a rules file may have at most 1048576 (HTTP 413)'
  );
  fetch.mockReturnValue(throwError(() => ({ status: 502, data: { message: 'Plugin unavailable' } })));
  await expect(validateRules('falco', [])).rejects.toThrow('Plugin unavailable (HTTP 502)');
  fetch.mockReturnValue(throwError(() => ({})));
  await expect(validateRules('falco', [])).rejects.toThrow('the Falco datasource did not answer');
});

test("getRulesCatalog reads the backend's catalog and derives sources when they are missing", async () => {
  fetch.mockReturnValue(
    of({
      data: {
        fields: [
          { name: 'ka.verb', type: 'CHARBUF', arg: 'none', source: 'k8s_audit' },
          { name: 'evt.num', type: 'UINT64', arg: 'none', source: '*' },
          { name: 'proc.name', type: 'CHARBUF', arg: 'none', source: 'syscall' },
        ],
        operators: [{ op: '=', kind: 'string/equality' }],
        macros: ['spawned_process'],
        lists: ['shell_binaries'],
      },
    })
  );
  const catalog = await getRulesCatalog('falco');
  expect(fetch.mock.calls[0][0]).toMatchObject({
    url: '/api/datasources/uid/falco/resources/rules/catalog',
    method: 'GET',
  });
  expect(catalog).toMatchObject({
    sources: ['k8s_audit', 'syscall'],
    macros: ['spawned_process'],
    lists: ['shell_binaries'],
    modifiers: [],
    transformers: [],
  });
});

test('getLabRules says plainly when the datasource does not serve the lab rules', async () => {
  fetch.mockReturnValue(throwError(() => ({ status: 404, data: { error: 'no resource "/rules/lab"' } })));
  await expect(getLabRules('falco')).rejects.toThrow('does not serve the shipped lab rules');
  fetch.mockReturnValue(of({ data: { files: [{ name: 'containersec_rules.yaml', content: '' }] } }));
  await expect(getLabRules('falco')).resolves.toEqual([{ name: 'containersec_rules.yaml', content: '' }]);
});
