// How an exception value is written in a rules file so Falco reads it back unchanged (pkg/tuning FalcoValue).
// Falco pastes exception values into the rule's condition as text, adding quotes only to a value with a space
// (rule_loader_compiler.cpp quote_item); libsinsp reads an unquoted value up to the first of ( ) " ' = , or a blank
// (filter/parser.cpp RGX_BARESTR). Any other value is written already quoted, \ and " escaped (escaping.cpp).
const NEEDS_QUOTES = /[()"'=, \t\n\r\f\v]/; // ASCII blanks only, as POSIX [:space:] in RE2

export function falcoValue(v: string): string {
  if (v !== '' && !NEEDS_QUOTES.test(v)) {
    return v;
  }
  return `"${v.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}

// readFalcoValue is what Falco's condition parser makes of a written value (parser.cpp lex_quoted_str, unescape_str).
export function readFalcoValue(written: string): string {
  const q = written[0];
  if ((q === '"' || q === "'") && written.length >= 2 && written.endsWith(q)) {
    return written.slice(1, -1).replace(/\\(.)/gs, '$1');
  }
  return written;
}

const MAX_VALUE_BYTES = 1024;

// valueProblem says why a value cannot be an exception value Falco reads back unchanged (pkg/tuning ValueProblem).
export function valueProblem(v: string): string | undefined {
  if (new TextEncoder().encode(v).length > MAX_VALUE_BYTES) {
    return `longer than ${MAX_VALUE_BYTES} bytes`;
  }
  if (v.includes('\u0000')) {
    return 'holds a NUL byte, which ends Falco’s condition text';
  }
  if (v.endsWith('\\')) {
    return 'ends with a backslash, which Falco’s condition parser cannot read in a quoted value';
  }
  return undefined;
}
