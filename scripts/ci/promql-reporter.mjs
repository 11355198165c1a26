// node:test reporter for the PromQL suite: counts the tests (not the suites) and writes .test-reports/promql.json as
// {"passed","failed","skipped"} for scripts/ci/count-tests.mjs. It prints nothing; the spec reporter does that.
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';

const OUT = resolve(process.env.PROMQL_REPORT ?? '.test-reports/promql.json');

export default async function* promqlReporter(source) {
  const counts = { passed: 0, failed: 0, skipped: 0 };
  for await (const event of source) {
    if (event.type !== 'test:pass' && event.type !== 'test:fail') {
      continue;
    }
    const { details, skip, todo } = event.data;
    if (details?.type === 'suite') {
      // A suite that fails outside its tests (a hook, a load error) still fails the run.
      if (event.type === 'test:fail' && details.error?.failureType !== 'subtestsFailed') {
        counts.failed++;
      }
      continue;
    }
    if (skip || todo) {
      counts.skipped++;
    } else if (event.type === 'test:pass') {
      counts.passed++;
    } else {
      counts.failed++;
    }
  }
  mkdirSync(dirname(OUT), { recursive: true });
  writeFileSync(OUT, JSON.stringify(counts) + '\n');
}
