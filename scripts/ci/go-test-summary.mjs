// Prints a `go test -json` stream the way a reader wants it: failing tests with their output, then one line a package.
import { readFileSync } from 'node:fs';

const lines = readFileSync(process.argv[2], 'utf8').split('\n').filter(Boolean);
const output = new Map();
const packages = [];
for (const line of lines) {
  let ev;
  try {
    ev = JSON.parse(line);
  } catch {
    console.log(line); // build errors are not JSON
    continue;
  }
  const key = `${ev.Package} ${ev.Test ?? ''}`;
  if (ev.Action === 'output') {
    output.set(key, (output.get(key) ?? '') + ev.Output);
  } else if (ev.Action === 'fail' && ev.Test) {
    process.stdout.write(`--- FAIL ${ev.Package} ${ev.Test}\n${output.get(key) ?? ''}`);
  } else if (!ev.Test && ['pass', 'fail', 'skip'].includes(ev.Action)) {
    packages.push(`${ev.Action.padEnd(4)}  ${ev.Package}${ev.Elapsed !== undefined ? `  ${ev.Elapsed}s` : ''}`);
    if (ev.Action === 'fail') {
      process.stdout.write(output.get(key) ?? '');
    }
  }
}
console.log(packages.join('\n'));
