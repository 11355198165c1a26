// Bundles the preview's browser entry with esbuild: the app's real sources and the real @grafana packages.
import { build, BuildOptions, context, Plugin } from 'esbuild';
import { readdirSync } from 'node:fs';
import { basename, dirname, resolve } from 'node:path';

const EXTENSIONS = ['.ts', '.tsx', '.js', '.jsx', '/index.ts', '/index.tsx'];

// esbuild matches file names case-insensitively, and src/ has both effectiveRules.ts and EffectiveRules.tsx: resolve
// relative imports to the file whose name matches exactly, as webpack does on Linux.
const exactCase: Plugin = {
  name: 'exact-case',
  setup(b) {
    b.onResolve({ filter: /^\.\.?\// }, (args) => {
      const base = resolve(args.resolveDir, args.path);
      for (const ext of ['', ...EXTENSIONS]) {
        const file = base + ext;
        try {
          if (readdirSync(dirname(file)).includes(basename(file)) && /\.[cm]?[jt]sx?$/.test(file)) {
            return { path: file };
          }
        } catch {
          // no such directory: try the next form
        }
      }
      return undefined;
    });
  },
};

// @grafana/ui's .mjs files default-import CommonJS packages that set __esModule; esbuild follows Node there and hands
// over the whole exports object, where Grafana's own build hands over exports.default. These get Grafana's answer.
const ES_MODULE_INTEROP = ['react-custom-scrollbars-2'];

const esModuleInterop: Plugin = {
  name: 'es-module-interop',
  setup(b) {
    const filter = new RegExp(`^(${ES_MODULE_INTEROP.join('|')})$`);
    b.onResolve({ filter }, (args) =>
      args.namespace === 'interop' ? undefined : { path: args.path, namespace: 'interop' }
    );
    b.onLoad({ filter: /.*/, namespace: 'interop' }, (args) => ({
      contents: `import * as m from ${JSON.stringify(require.resolve(args.path))}; export default m.default;`,
      resolveDir: __dirname,
      loader: 'js',
    }));
  },
};

function options(outdir: string): BuildOptions {
  return {
    entryPoints: [resolve(__dirname, 'browser/index.ts')],
    outdir,
    bundle: true,
    splitting: true, // the app's lazy pages stay lazy, as in Grafana
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    jsx: 'automatic',
    sourcemap: 'linked',
    logLevel: 'warning',
    plugins: [exactCase, esModuleInterop],
    define: { 'process.env.NODE_ENV': '"development"', global: 'window' },
    loader: { '.svg': 'dataurl', '.png': 'dataurl', '.woff': 'dataurl', '.woff2': 'dataurl', '.ttf': 'dataurl' },
  };
}

export async function bundlePreview(outdir: string): Promise<void> {
  await build(options(outdir));
}

// The dev stack's bundle, rebuilt on every change of the app's sources (reload the page to see it); returns stop.
export async function watchPreview(outdir: string): Promise<() => Promise<void>> {
  const ctx = await context(options(outdir));
  await ctx.rebuild();
  await ctx.watch();
  return () => ctx.dispose();
}
