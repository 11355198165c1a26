import type { LabelParam, TemplateVariable } from './types';

// Label matchers and selectors. Every value that goes into a PromQL selector passes through here.

const RE2_METACHARACTERS = /[\\.+*?()|[\]{}^$]/g;
const VARIABLE_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
const LABEL_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

// PromQL string literals take Go escapes; control characters must not appear raw (a newline ends the selector).
export function escapePromQLString(value: string): string {
  let out = '';
  for (const ch of value) {
    const code = ch.codePointAt(0)!;
    if (ch === '\\') {
      out += '\\\\';
    } else if (ch === '"') {
      out += '\\"';
    } else if (ch === '\n') {
      out += '\\n';
    } else if (ch === '\r') {
      out += '\\r';
    } else if (ch === '\t') {
      out += '\\t';
    } else if (code < 0x20 || code === 0x7f || (code >= 0x80 && code < 0xa0) || code === 0x2028 || code === 0x2029) {
      out += '\\u' + code.toString(16).padStart(4, '0');
    } else {
      out += ch;
    }
  }
  return out;
}

// A value from a user, a URL or a label: escaped for PromQL, with $ and [ as \u escapes (the same string to PromQL) so
// Grafana's template interpolation, which runs over the whole expression, finds no $var, ${var:raw} or [[var]] in it.
function literalString(value: string): string {
  return escapePromQLString(value).replace(/\$/g, '\\u0024').replace(/\[/g, '\\u005b');
}

// RE2 escaping so a literal used inside =~ matches only itself (Prometheus anchors the regex at both ends).
export function escapeRegex(value: string): string {
  return value.replace(RE2_METACHARACTERS, '\\$&');
}

export function isTemplateVariable(param: LabelParam | undefined): param is TemplateVariable {
  return typeof param === 'object' && param !== null && 'variable' in param;
}

function checkLabelName(label: string): void {
  if (!LABEL_NAME.test(label)) {
    throw new Error(`invalid label name "${label}": use letters, digits and underscores, not starting with a digit`);
  }
}

function variableRef(param: TemplateVariable): string {
  if (!VARIABLE_NAME.test(param.variable)) {
    throw new Error(`invalid template variable name "${param.variable}": use letters, digits and underscores`);
  }
  return '$' + param.variable;
}

// label="value" for a literal, label=~"$var" for a template variable, nothing for an empty parameter (select all).
export function labelMatcher(label: string, param: LabelParam | undefined): string | undefined {
  checkLabelName(label);
  if (param === undefined || param === '') {
    return undefined;
  }
  if (isTemplateVariable(param)) {
    return `${label}=~"${variableRef(param)}"`;
  }
  return `${label}="${literalString(param)}"`;
}

// label=~"a|b" matching exactly the given literals (escaped), or a template variable's values.
export function regexMatcher(label: string, values: LabelParam | readonly string[] | undefined): string | undefined {
  checkLabelName(label);
  if (values === undefined || values === '' || (Array.isArray(values) && values.length === 0)) {
    return undefined;
  }
  if (isTemplateVariable(values as LabelParam)) {
    return `${label}=~"${variableRef(values as TemplateVariable)}"`;
  }
  const list = typeof values === 'string' ? [values] : (values as readonly string[]);
  return `${label}=~"${literalString(list.map(escapeRegex).join('|'))}"`;
}

// A matcher whose value the library itself wrote (a constant such as container!="" or code=~"401|403").
export function fixedMatcher(label: string, op: '=' | '!=' | '=~' | '!~', value: string): string {
  checkLabelName(label);
  return `${label}${op}"${escapePromQLString(value)}"`;
}

// metric{m1, m2}; undefined matchers are dropped, so an empty parameter adds nothing.
export function selector(metric: string, matchers: Array<string | undefined>): string {
  if (!/^[A-Za-z_:][A-Za-z0-9_:]*$/.test(metric)) {
    throw new Error(`invalid metric name "${metric}"`);
  }
  const present = matchers.filter((m): m is string => m !== undefined);
  return present.length === 0 ? metric : `${metric}{${present.join(', ')}}`;
}

// Copies one label's value into another; (?s) lets the value hold newlines, which RE2's "." would not match.
export function copyLabel(expr: string, to: string, from: string): string {
  checkLabelName(to);
  checkLabelName(from);
  return `label_replace(${expr}, "${to}", "$1", "${from}", "(?s)(.*)")`;
}
