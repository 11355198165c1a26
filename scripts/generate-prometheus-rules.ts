// Writes rules/prometheus from the query library: `npm run generate:rules [-- --release NAME] [-- --check]`.
// --check writes nothing and exits 1 when a committed file differs from what the library produces.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';

import { DEFAULT_RELEASE, renderRuleFiles } from './rules/ruleGroups';

const ROOT = resolve(__dirname, '..');

function main(): number {
  const { values } = parseArgs({
    options: {
      check: { type: 'boolean', default: false },
      release: { type: 'string', default: process.env.CONTAINERSEC_RELEASE || DEFAULT_RELEASE },
    },
  });
  const files = renderRuleFiles(values.release);
  const stale: string[] = [];
  for (const [path, content] of Object.entries(files)) {
    const target = join(ROOT, path);
    const current = existsSync(target) ? readFileSync(target, 'utf8') : undefined;
    if (values.check) {
      if (current !== content) {
        stale.push(path);
      }
      continue;
    }
    mkdirSync(dirname(target), { recursive: true });
    writeFileSync(target, content);
    console.log(`wrote ${path}`);
  }
  if (stale.length) {
    console.error(`stale generated files (run npm run generate:rules and commit): ${stale.join(', ')}`);
    return 1;
  }
  if (values.check) {
    console.log(`rules/prometheus is up to date (${Object.keys(files).length} files)`);
  }
  return 0;
}

try {
  process.exitCode = main();
} catch (err) {
  console.error(err instanceof Error ? err.message : err);
  process.exitCode = 2;
}
