// The Falco datasource's real Go handlers (scripts/preview/falco), built and started on 127.0.0.1 for the preview.
import { ChildProcess, execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';

export interface FalcoBackend {
  url: string;
  stop: () => Promise<void>;
}

const ROOT = resolve(__dirname, '../..');

export async function startFalcoBackend(): Promise<FalcoBackend> {
  const dir = mkdtempSync(join(tmpdir(), 'containersec-preview-falco-bin-'));
  const binary = join(dir, 'falco');
  try {
    execFileSync('go', ['build', '-o', binary, './scripts/preview/falco'], { cwd: ROOT, stdio: 'inherit' });
  } catch (e) {
    rmSync(dir, { recursive: true, force: true });
    throw e;
  }
  const child: ChildProcess = spawn(binary, [], { stdio: ['ignore', 'pipe', 'inherit'] });
  process.once('exit', () => child.kill('SIGKILL'));
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await exited;
    }
    rmSync(dir, { recursive: true, force: true });
  };
  // The server prints its address as its first line.
  const url = await new Promise<string>((resolveUrl, reject) => {
    const lines = createInterface({ input: child.stdout! });
    lines.once('line', (line) => resolveUrl(line.trim()));
    child.once('exit', (code) => reject(new Error(`the Falco backend exited with ${code} before it listened`)));
  }).catch(async (e) => {
    await stop();
    throw e;
  });
  return { url, stop };
}
