// Adds up the tests every runner reported and prints the closing line CI reads: "tests: N passed, N failed,
// N skipped", after the steps line scripts/test.sh leaves in steps.json: "steps: N ok, N failed, N skipped".
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const dir = process.argv[2];
const counts = [];

const jestFile = join(dir, 'jest.json');
if (existsSync(jestFile)) {
  const r = JSON.parse(readFileSync(jestFile, 'utf8'));
  counts.push({ runner: 'jest', passed: r.numPassedTests, failed: r.numFailedTests, skipped: r.numPendingTests });
}

const goFile = join(dir, 'go-test.json');
if (existsSync(goFile)) {
  const c = { runner: 'go test', passed: 0, failed: 0, skipped: 0 };
  for (const line of readFileSync(goFile, 'utf8').split('\n')) {
    if (!line.startsWith('{')) {
      continue;
    }
    const ev = JSON.parse(line);
    if (!ev.Test) {
      continue;
    }
    if (ev.Action === 'pass') {
      c.passed++;
    } else if (ev.Action === 'fail') {
      c.failed++;
    } else if (ev.Action === 'skip') {
      c.skipped++;
    }
  }
  counts.push(c);
}

// Runners that write a {passed, failed, skipped} JSON of their own (the PromQL suite, end-to-end).
for (const [file, runner] of [
  ['promql.json', 'PromQL'],
  ['e2e.json', 'end-to-end'],
  ['journeys.json', 'journeys'],
  ['kube.json', 'kube deploy'],
]) {
  const f = join(dir, file);
  if (existsSync(f)) {
    counts.push({ runner, ...JSON.parse(readFileSync(f, 'utf8')) });
  }
}

const total = { passed: 0, failed: 0, skipped: 0 };
for (const c of counts) {
  console.log(`${c.runner.padEnd(12)} ${c.passed} passed, ${c.failed} failed, ${c.skipped ?? 0} skipped`);
  total.passed += c.passed;
  total.failed += c.failed;
  total.skipped += c.skipped ?? 0;
}
const stepsFile = join(dir, 'steps.json');
if (existsSync(stepsFile)) {
  const st = JSON.parse(readFileSync(stepsFile, 'utf8'));
  console.log(`steps: ${st.ok} ok, ${st.failed} failed, ${st.skipped} skipped`);
}
console.log(`tests: ${total.passed} passed, ${total.failed} failed, ${total.skipped} skipped`);
