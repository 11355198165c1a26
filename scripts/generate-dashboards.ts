// Writes dashboards/ (one dashboard JSON per app page, its sidecar ConfigMap and a kustomization) from the page
// specs and the query library. `--check` writes nothing and fails with the names of stale files, for CI.
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { generateDashboardFiles, staleFiles } from '../src/dashboards/files';
import { DASHBOARD_PAGES } from '../src/dashboards/pages';

function parseArgs(argv: string[]): { check: boolean; out: string } {
  let check = false;
  let out = resolve(__dirname, '..', 'dashboards');
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--check') {
      check = true;
    } else if (argv[i] === '--out' && argv[i + 1]) {
      out = resolve(argv[++i]);
    } else {
      throw new Error(`unknown argument "${argv[i]}": use --check and/or --out <dir>`);
    }
  }
  return { check, out };
}

function main(): number {
  const { check, out } = parseArgs(process.argv.slice(2));
  const files = generateDashboardFiles(DASHBOARD_PAGES);
  const stale = staleFiles(out, files);
  if (check) {
    if (stale.length > 0) {
      console.error(
        `Generated dashboards are stale; run npm run generate:dashboards and commit:\n  ${stale.join('\n  ')}`
      );
      return 1;
    }
    console.log(`${files.size} generated dashboard files are current`);
    return 0;
  }
  for (const path of stale) {
    const target = join(out, path);
    if (files.has(path)) {
      mkdirSync(dirname(target), { recursive: true });
      writeFileSync(target, files.get(path)!);
    } else {
      rmSync(target);
    }
  }
  console.log(`${stale.length} of ${files.size} dashboard files written or removed in ${out}`);
  return 0;
}

try {
  process.exitCode = main();
} catch (e) {
  console.error(e instanceof Error ? e.message : e);
  process.exitCode = 2;
}
