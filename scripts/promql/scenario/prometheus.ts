// Runs the real `prometheus` binary on 127.0.0.1 over a data dir, and asks it PromQL through the HTTP API.
import { ChildProcess, spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';

export interface Sample {
  metric: Record<string, string>;
  value: number;
}

export interface QueryStats {
  wallMs: number; // the HTTP call, as a dashboard would see it
  evalMs?: number; // Prometheus's own timings.evalTotalTime
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))
      );
    });
  });
}

export class PrometheusServer {
  private process?: ChildProcess;
  private log = '';
  url = '';

  constructor(
    private readonly dataDir: string,
    private readonly ruleFiles: string[] = []
  ) {}

  async start(timeoutMs = 60000): Promise<void> {
    const port = await freePort();
    const config = join(this.dataDir, '..', 'prometheus.yml');
    // No scrape jobs: the server only answers queries over the backfilled blocks.
    writeFileSync(
      config,
      `global:\n  evaluation_interval: 1m\nrule_files:\n${this.ruleFiles.map((f) => `  - ${JSON.stringify(f)}\n`).join('') || '  []\n'}`
    );
    this.url = `http://127.0.0.1:${port}`;
    this.log = '';
    const child = spawn(
      'prometheus',
      [
        `--config.file=${config}`,
        `--storage.tsdb.path=${this.dataDir}`,
        `--web.listen-address=127.0.0.1:${port}`,
        '--storage.tsdb.retention.time=100y',
        '--query.max-samples=100000000',
        '--log.level=warn',
      ],
      { stdio: ['ignore', 'pipe', 'pipe'] }
    );
    this.process = child;
    child.stdout?.on('data', (d) => (this.log += d));
    child.stderr?.on('data', (d) => (this.log += d));
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      if (child.exitCode !== null) {
        throw new Error(`prometheus exited with ${child.exitCode} before it was ready:\n${this.log}`);
      }
      try {
        const res = await fetch(`${this.url}/-/ready`);
        if (res.ok) {
          return;
        }
      } catch {
        // not listening yet
      }
      await new Promise((r) => setTimeout(r, 200));
    }
    await this.stop();
    throw new Error(`prometheus was not ready within ${timeoutMs} ms:\n${this.log}`);
  }

  async stop(): Promise<void> {
    const child = this.process;
    this.process = undefined;
    if (!child || child.exitCode !== null || child.signalCode !== null) {
      return;
    }
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    const killer = setTimeout(() => child.kill('SIGKILL'), 10000);
    await exited;
    clearTimeout(killer);
  }

  // Kills the server if the test process goes away without running its after() hooks.
  killOnExit(): void {
    process.once('exit', () => this.process?.kill('SIGKILL'));
  }

  async instant(query: string, time: number): Promise<Sample[]> {
    const { data } = await this.call('/api/v1/query', { query, time: String(time) });
    if (data.resultType !== 'vector') {
      throw new Error(`expected a vector from ${query}, got ${data.resultType}`);
    }
    return (data.result as Array<{ metric: Record<string, string>; value: [number, string] }>).map((r) => ({
      metric: r.metric,
      value: Number(r.value[1]),
    }));
  }

  async range(query: string, start: number, end: number, step: number): Promise<QueryStats & { series: number }> {
    const started = performance.now();
    const { data } = await this.call('/api/v1/query_range', {
      query,
      start: String(start),
      end: String(end),
      step: String(step),
      stats: 'all',
    });
    const wallMs = performance.now() - started;
    const evalSeconds = data.stats?.timings?.evalTotalTime;
    return {
      wallMs,
      evalMs: typeof evalSeconds === 'number' ? evalSeconds * 1000 : undefined,
      series: data.result.length,
    };
  }

  // An instant query's timings, as a table panel runs it.
  async instantStats(query: string, time: number): Promise<QueryStats & { series: number }> {
    const started = performance.now();
    const { data } = await this.call('/api/v1/query', { query, time: String(time), stats: 'all' });
    const wallMs = performance.now() - started;
    const evalSeconds = data.stats?.timings?.evalTotalTime;
    return {
      wallMs,
      evalMs: typeof evalSeconds === 'number' ? evalSeconds * 1000 : undefined,
      series: data.result.length,
    };
  }

  // The label sets of every series matching `match` that has a sample between start and end.
  async series(match: string, start: number, end: number): Promise<Array<Record<string, string>>> {
    const { data } = await this.call('/api/v1/series', { 'match[]': match, start: String(start), end: String(end) });
    return data as Array<Record<string, string>>;
  }

  private async call(path: string, params: Record<string, string>): Promise<{ data: any }> {
    const res = await fetch(this.url + path, { method: 'POST', body: new URLSearchParams(params) });
    const body = (await res.json()) as { status: string; data: any; error?: string };
    if (body.status !== 'success') {
      throw new Error(`prometheus rejected ${params.query}: ${body.error}`);
    }
    return body;
  }
}
