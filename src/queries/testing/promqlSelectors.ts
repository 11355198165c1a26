// A strict reader for the selectors inside a PromQL expression, for tests: it checks that strings are closed and use
// only escapes PromQL accepts, that brackets balance, and hands back every matcher with its decoded value.

export interface ParsedMatcher {
  metric: string;
  label: string;
  op: '=' | '!=' | '=~' | '!~';
  value: string; // decoded
}

// Our escapes are \\ \" \n \r \t \uXXXX: the subset where JSON and PromQL string literals agree, so JSON decodes them.
function decodeString(raw: string, at: number): string {
  if (/[\u0000-\u001f\u007f]/.test(raw)) {
    throw new Error(`raw control character in string literal at ${at}`);
  }
  if (/\\(?![\\"nrt]|u[0-9a-fA-F]{4})/.test(raw.replace(/\\\\/g, ''))) {
    throw new Error(`unsupported escape in string literal at ${at}: ${raw}`);
  }
  return JSON.parse(raw);
}

// Reads a double-quoted string starting at expr[i]; returns its raw text (with quotes) and the index after it.
function readString(expr: string, i: number): { raw: string; end: number } {
  let j = i + 1;
  while (j < expr.length && expr[j] !== '"') {
    j += expr[j] === '\\' ? 2 : 1;
  }
  if (j >= expr.length) {
    throw new Error(`unterminated string starting at ${i}`);
  }
  return { raw: expr.slice(i, j + 1), end: j + 1 };
}

const MATCHER = /^\s*([A-Za-z_][A-Za-z0-9_]*)\s*(=~|!~|!=|=)\s*$/;

export function parseSelectors(expr: string): ParsedMatcher[] {
  const matchers: ParsedMatcher[] = [];
  const stack: string[] = [];
  const pairs: Record<string, string> = { ')': '(', ']': '[', '}': '{' };
  let i = 0;
  while (i < expr.length) {
    const ch = expr[i];
    if (ch === '"') {
      i = readString(expr, i).end;
      continue;
    }
    if (ch === '{') {
      const metric = /([A-Za-z_:][A-Za-z0-9_:]*)\s*$/.exec(expr.slice(0, i))?.[1] ?? '';
      let j = i + 1;
      for (;;) {
        const close = /^\s*\}/.exec(expr.slice(j));
        if (close) {
          j += close[0].length;
          break;
        }
        const eq = expr.indexOf('"', j);
        const head = MATCHER.exec(expr.slice(j, eq));
        if (eq < 0 || !head) {
          throw new Error(`malformed matcher at ${j}: ${expr.slice(j, j + 40)}`);
        }
        const { raw, end } = readString(expr, eq);
        matchers.push({ metric, label: head[1], op: head[2] as ParsedMatcher['op'], value: decodeString(raw, eq) });
        const sep = /^\s*(,|(?=\}))/.exec(expr.slice(end));
        if (!sep) {
          throw new Error(`expected , or } after matcher at ${end}: ${expr.slice(end, end + 20)}`);
        }
        j = end + sep[0].length;
      }
      i = j;
      continue;
    }
    if (ch === '(' || ch === '[') {
      stack.push(ch);
    } else if (ch === ')' || ch === ']' || ch === '}') {
      if (stack.pop() !== pairs[ch]) {
        throw new Error(`unbalanced ${ch} at ${i}`);
      }
    } else if (ch === '\n' || ch === '\r') {
      throw new Error(`line break outside a string at ${i}`);
    }
    i++;
  }
  if (stack.length) {
    throw new Error(`unclosed ${stack.join('')}`);
  }
  return matchers;
}

// Range selectors' durations: every [..] must hold a PromQL duration or a Grafana variable.
export function rangeDurations(expr: string): string[] {
  const noStrings = expr.replace(/"(?:[^"\\]|\\.)*"/g, '""');
  return [...noStrings.matchAll(/\[([^\]]*)\]/g)].map((m) => m[1]);
}

// What a matcher selects, the way Prometheus does it (regexes are anchored at both ends).
export function selects(m: ParsedMatcher, labelValue: string): boolean {
  switch (m.op) {
    case '=':
      return labelValue === m.value;
    case '!=':
      return labelValue !== m.value;
    case '=~':
      return new RegExp(`^(?:${m.value})$`, 'su').test(labelValue);
    case '!~':
      return !new RegExp(`^(?:${m.value})$`, 'su').test(labelValue);
  }
}
