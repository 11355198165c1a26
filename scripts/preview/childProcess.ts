// A helper process of the dev stack (the Falco backend's gateway, the dev cluster) that prints one line when it is
// ready: its first line, and a stop that ends it and removes its directory. Killed with this process too.
import { ChildProcess } from 'node:child_process';
import { rmSync } from 'node:fs';
import { createInterface } from 'node:readline';

export async function firstLineOf(
  child: ChildProcess,
  dir: string,
  what: string
): Promise<{ line: string; stop: () => Promise<void> }> {
  process.once('exit', () => child.kill('SIGKILL'));
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await exited;
    }
    rmSync(dir, { recursive: true, force: true });
  };
  const line = await new Promise<string>((resolveLine, reject) => {
    createInterface({ input: child.stdout! }).once('line', (l) => resolveLine(l.trim()));
    child.once('exit', (code) => reject(new Error(`${what} exited with ${code} before it was ready`)));
  }).catch(async (e) => {
    await stop();
    throw e;
  });
  return { line, stop };
}
