import type { RulesFile, ValidateResult } from '../../api/rules';
import { DebouncedValidator, ValidationState, VALIDATE_DELAY_MS } from './validator';

const files = (content: string): RulesFile[] => [{ name: 'custom.yaml', content }];
const result = (rule: string): ValidateResult => ({
  diagnostics: [],
  rules: [{ name: rule, priority: 'Warning', source: 'syscall', tags: [], enabled: true, file: 'custom.yaml' }],
  macros: 0,
  lists: 0,
});

// deferred lets the test answer each request when it chooses, in any order.
function deferred<T>() {
  let resolve!: (v: T) => void;
  let reject!: (e: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

let states: ValidationState[];
const last = () => states[states.length - 1];

beforeEach(() => {
  jest.useFakeTimers();
  states = [];
});
afterEach(() => jest.useRealTimers());

test('sends only the last text typed within the pause', async () => {
  const validate = jest.fn().mockResolvedValue(result('r'));
  const v = new DebouncedValidator(validate, (s) => states.push(s));
  v.schedule(files('a'));
  jest.advanceTimersByTime(VALIDATE_DELAY_MS - 1);
  v.schedule(files('ab'));
  jest.advanceTimersByTime(VALIDATE_DELAY_MS - 1);
  v.schedule(files('abc'));
  expect(validate).not.toHaveBeenCalled();
  expect(last().pending).toBe(true);
  jest.advanceTimersByTime(VALIDATE_DELAY_MS);
  expect(validate).toHaveBeenCalledTimes(1);
  expect(validate).toHaveBeenCalledWith(files('abc'));
  await Promise.resolve();
  expect(last()).toEqual({ result: result('r'), pending: false });
});

test('an older answer arriving after a newer one does not overwrite it', async () => {
  const first = deferred<ValidateResult>();
  const second = deferred<ValidateResult>();
  const validate = jest.fn().mockReturnValueOnce(first.promise).mockReturnValueOnce(second.promise);
  const v = new DebouncedValidator(validate, (s) => states.push(s));
  v.schedule(files('old'));
  jest.advanceTimersByTime(VALIDATE_DELAY_MS);
  v.schedule(files('new'));
  jest.advanceTimersByTime(VALIDATE_DELAY_MS);
  expect(validate).toHaveBeenCalledTimes(2);

  second.resolve(result('new rule'));
  await second.promise;
  await Promise.resolve();
  first.resolve(result('old rule'));
  await first.promise;
  await Promise.resolve();
  expect(last().result?.rules[0].name).toBe('new rule');
  expect(states.some((s) => s.result?.rules[0].name === 'old rule')).toBe(false);
});

test('an answer to a request superseded while in flight is dropped even if it comes first', async () => {
  const first = deferred<ValidateResult>();
  const validate = jest.fn().mockReturnValueOnce(first.promise).mockResolvedValueOnce(result('new rule'));
  const v = new DebouncedValidator(validate, (s) => states.push(s));
  v.schedule(files('old'));
  jest.advanceTimersByTime(VALIDATE_DELAY_MS);
  v.schedule(files('new'));
  first.resolve(result('old rule'));
  await first.promise;
  await Promise.resolve();
  expect(last()).toEqual({ pending: true });
  jest.advanceTimersByTime(VALIDATE_DELAY_MS);
  await Promise.resolve();
  await Promise.resolve();
  expect(last()).toEqual({ result: result('new rule'), pending: false });
});

test('a backend error is reported and the last good result is kept', async () => {
  const validate = jest
    .fn()
    .mockResolvedValueOnce(result('good'))
    .mockRejectedValueOnce(new Error('request body is larger than 4194304 bytes (HTTP 413)'));
  const v = new DebouncedValidator(validate, (s) => states.push(s));
  v.schedule(files('a'));
  jest.advanceTimersByTime(VALIDATE_DELAY_MS);
  await Promise.resolve();
  v.schedule(files('huge'));
  jest.advanceTimersByTime(VALIDATE_DELAY_MS);
  await Promise.resolve();
  await Promise.resolve();
  expect(last()).toEqual({
    result: result('good'),
    error: 'request body is larger than 4194304 bytes (HTTP 413)',
    pending: false,
  });
});

test('after dispose nothing is sent and no answer is reported', async () => {
  const pending = deferred<ValidateResult>();
  const validate = jest.fn().mockReturnValueOnce(pending.promise);
  const v = new DebouncedValidator(validate, (s) => states.push(s));
  v.schedule(files('a'));
  jest.advanceTimersByTime(VALIDATE_DELAY_MS);
  v.schedule(files('b'));
  v.dispose();
  jest.advanceTimersByTime(VALIDATE_DELAY_MS * 2);
  expect(validate).toHaveBeenCalledTimes(1);
  const reported = states.length;
  pending.resolve(result('late'));
  await pending.promise;
  await Promise.resolve();
  expect(states).toHaveLength(reported);
});
