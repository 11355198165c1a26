import {
  copyLabel,
  escapePromQLString,
  escapeRegex,
  fixedMatcher,
  labelMatcher,
  regexMatcher,
  selector,
} from './labels';
import { parseSelectors, selects } from './testing/promqlSelectors';

const HOSTILE = [
  'plain',
  'with "double" quotes',
  'back\\slash\\',
  'ends with backslash \\',
  '\\"',
  'regex .*+?()[]{}|^$ chars',
  '.*',
  'line\nbreak',
  'carriage\rreturn\ttab',
  'bell\u0007 and del\u007f and nul\u0000',
  'ünïcödé 名前 🚀',
  'line\u2028separator',
  '"} or vector(1) or up{job="',
];

// Decode through the test's own strict selector reader, not through the code under test.
function roundTrip(matcherText: string) {
  const [m] = parseSelectors(`metric{${matcherText}}`);
  return m;
}

describe('escapePromQLString', () => {
  it.each(HOSTILE)('round-trips %j through an exact matcher', (value) => {
    const m = roundTrip(labelMatcher('namespace', value)!);
    expect(m).toEqual({ metric: 'metric', label: 'namespace', op: '=', value });
  });

  it('escapes the characters that would end or break a string', () => {
    expect(escapePromQLString('a"b\\c\nd')).toBe('a\\"b\\\\c\\nd');
    expect(escapePromQLString('\u0001')).toBe('\\u0001');
    expect(escapePromQLString('名前')).toBe('名前');
  });
});

describe('escapeRegex', () => {
  it('escapes every RE2 metacharacter', () => {
    expect(escapeRegex('.*+?()[]{}|^$\\')).toBe('\\.\\*\\+\\?\\(\\)\\[\\]\\{\\}\\|\\^\\$\\\\');
  });

  it.each(HOSTILE)('a regex matcher for %j selects exactly that value', (value) => {
    const m = roundTrip(regexMatcher('pod', [value])!);
    expect(m.op).toBe('=~');
    expect(selects(m, value)).toBe(true);
    for (const decoy of [
      '',
      'x',
      value + 'x',
      'x' + value,
      value.slice(1),
      value.toUpperCase() === value ? value + value : value.toUpperCase(),
    ]) {
      if (decoy !== value) {
        expect(selects(m, decoy)).toBe(false);
      }
    }
  });

  it('joins several literals into one alternation that matches each and nothing else', () => {
    const values = ['a.b', 'c|d', 'e*'];
    const m = roundTrip(regexMatcher('rule', values)!);
    for (const v of values) {
      expect(selects(m, v)).toBe(true);
    }
    for (const decoy of ['aXb', 'c', 'd', 'eee', 'a.b|c|d']) {
      expect(selects(m, decoy)).toBe(false);
    }
  });
});

describe('labelMatcher', () => {
  it('writes a template variable as a regex matcher Grafana interpolates', () => {
    expect(labelMatcher('namespace', { variable: 'namespace' })).toBe('namespace=~"$namespace"');
    expect(regexMatcher('k8s_pod_name', { variable: 'pod' })).toBe('k8s_pod_name=~"$pod"');
  });

  it('selects everything (no matcher) for an empty or missing value', () => {
    expect(labelMatcher('namespace', undefined)).toBeUndefined();
    expect(labelMatcher('namespace', '')).toBeUndefined();
    expect(regexMatcher('rule', [])).toBeUndefined();
  });

  it('rejects variable and label names that could inject PromQL', () => {
    expect(() => labelMatcher('namespace', { variable: 'ns"} or up{a="' })).toThrow(/invalid template variable name/);
    expect(() => labelMatcher('bad-label', 'x')).toThrow(/invalid label name "bad-label"/);
    expect(() => fixedMatcher('a b', '=', 'x')).toThrow(/invalid label name/);
  });
});

describe('selector', () => {
  it('joins the present matchers and drops the empty ones', () => {
    expect(selector('up', [labelMatcher('job', 'api'), undefined, fixedMatcher('container', '!=', '')])).toBe(
      'up{job="api", container!=""}'
    );
    expect(selector('up', [undefined])).toBe('up');
  });

  it('rejects an invalid metric name', () => {
    expect(() => selector('up{x="1"}', [])).toThrow(/invalid metric name/);
  });
});

describe('copyLabel', () => {
  it('copies with a regex whose . also matches newlines, so hostile names survive label_replace', () => {
    expect(copyLabel('x', 'namespace', 'k8s_ns_name')).toBe(
      'label_replace(x, "namespace", "$1", "k8s_ns_name", "(?s)(.*)")'
    );
    expect(() => copyLabel('x', 'name space', 'y')).toThrow(/invalid label name/);
  });
});
