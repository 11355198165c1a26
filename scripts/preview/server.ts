// The preview's web server on 127.0.0.1: the bundle, the app's routes (one HTML page), and Grafana's resource
// route of the Prometheus datasource forwarded to the scenario's Prometheus. Everything else answers 404 in JSON.
import { readdirSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import { AddressInfo } from 'node:net';
import { extname, join, normalize, resolve } from 'node:path';
import { FALCO_UID, prometheusApi } from './browser/proxyPaths';
import { coreIcon, GRAFANA_FONTS } from './grafanaAssets';

// The dev stack's switches and clock, read by browser/boot.ts before the app loads.
export interface PageSettings {
  role: 'Admin' | 'Editor' | 'Viewer';
  theme: 'dark' | 'light';
  now?: number; // ms: the browser's clock starts here (the scenario's end)
}

// esbuild leaves the CSS of lazy chunks (uPlot's, the data grid's) in files of their own: the page links them all.
function page(bundleDir: string, settings: PageSettings): string {
  const styles = readdirSync(bundleDir).filter((f) => f.endsWith('.css'));
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Container Security</title><style>body { margin: 0 }</style>
<script>window.__devstack = ${JSON.stringify(settings)};</script>
${styles.map((f) => `<link rel="stylesheet" href="/preview/${f}">`).join('\n')}</head><body><div id="root"></div>
<script type="module" src="/preview/index.js"></script></body></html>`;
}
const TYPES: Record<string, string> = {
  '.svg': 'image/svg+xml',
  '.js': 'text/javascript',
  '.css': 'text/css',
  '.map': 'application/json',
  '.woff2': 'font/woff2',
};
const PROMETHEUS_PREFIX = prometheusApi('');
// @grafana/ui's icons, where Icon looks for them under the public path the boot data sets ('/').
const ICONS_URL = '/build/img/icons/';
const ICONS_DIR = resolve(__dirname, '../../node_modules/@grafana/ui/dist/public/img/icons');
// Grafana core's fonts, where GlobalStyles' @font-face rules look for them (public path + fonts/).
const FONTS_URL = '/fonts/';
const FALCO_PREFIX = `/api/datasources/uid/${FALCO_UID}/`;

// The role the dev stack's switch chose (browser/boot.ts keeps it in a cookie), as Grafana would know it from the session.
function roleOf(req: IncomingMessage, fallback: string): string {
  const m = /(?:^|; )devstack_role=(Admin|Editor|Viewer)(?:;|$)/.exec(req.headers.cookie ?? '');
  return m?.[1] ?? fallback;
}

async function forward(req: IncomingMessage, res: ServerResponse, target: string, role?: string) {
  const chunks: Buffer[] = [];
  for await (const chunk of req) {
    chunks.push(chunk as Buffer);
  }
  const headers: Record<string, string> = {
    'content-type': req.headers['content-type'] ?? 'application/x-www-form-urlencoded',
  };
  if (role) {
    headers['X-Grafana-Org-Role'] = role;
  }
  const upstream = await fetch(target, {
    method: req.method,
    headers,
    body: req.method === 'GET' || req.method === 'HEAD' ? undefined : Buffer.concat(chunks),
  });
  const out: Record<string, string> = { 'content-type': upstream.headers.get('content-type') ?? 'application/json' };
  const disposition = upstream.headers.get('content-disposition');
  if (disposition) {
    out['content-disposition'] = disposition;
  }
  res.writeHead(upstream.status, out);
  res.end(Buffer.from(await upstream.arrayBuffer()));
}

async function serveFile(res: ServerResponse, file: string, type: string) {
  try {
    res.writeHead(200, { 'content-type': type }).end(await readFile(file));
  } catch {
    res.writeHead(404).end();
  }
}

async function serveBundle(res: ServerResponse, bundleDir: string, path: string) {
  const file = normalize(join(bundleDir, path));
  if (!file.startsWith(bundleDir)) {
    res.writeHead(400).end();
    return;
  }
  try {
    const body = await readFile(file);
    res.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream' }).end(body);
  } catch {
    res.writeHead(404).end();
  }
}

// falcoUrl: the Falco backend's server (falcoBackend.ts); without it the Falco datasource's calls answer 404.
export async function startPreviewServer(
  bundleDir: string,
  prometheusUrl: string,
  falcoUrl?: string,
  settings: PageSettings = { role: 'Admin', theme: 'dark' },
  port = 0
): Promise<{ url: string; server: Server }> {
  const server = createServer((req, res) => {
    const url = req.url ?? '/';
    const answer = async () => {
      if (url.startsWith(PROMETHEUS_PREFIX)) {
        return forward(req, res, `${prometheusUrl}/api/v1/${url.slice(PROMETHEUS_PREFIX.length)}`);
      }
      if (falcoUrl && (url.startsWith(FALCO_PREFIX) || url.startsWith('/api/ds/query'))) {
        return forward(req, res, falcoUrl + url, roleOf(req, settings.role));
      }
      if (url.startsWith(ICONS_URL)) {
        const icon = url.slice(ICONS_URL.length).split('?')[0];
        const core = coreIcon(icon);
        if (core) {
          return res.writeHead(200, { 'content-type': 'image/svg+xml' }).end(core);
        }
        return serveBundle(res, ICONS_DIR, icon);
      }
      if (url.startsWith(FONTS_URL)) {
        const font = GRAFANA_FONTS[url.slice(FONTS_URL.length).split('?')[0]];
        return font ? serveFile(res, font, 'font/woff2') : res.writeHead(404).end();
      }
      if (url.startsWith('/preview/')) {
        return serveBundle(res, bundleDir, url.slice('/preview/'.length).split('?')[0]);
      }
      if (url.startsWith('/api/')) {
        res.writeHead(404, { 'content-type': 'application/json' });
        return res.end(JSON.stringify({ message: `${url.split('?')[0]} is not served by the preview` }));
      }
      res.writeHead(200, { 'content-type': 'text/html' }).end(page(bundleDir, settings));
    };
    answer().catch((e: Error) =>
      res.writeHead(502, { 'content-type': 'application/json' }).end(JSON.stringify({ message: e.message }))
    );
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server };
}
