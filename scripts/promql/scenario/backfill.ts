// Turns the scenario into TSDB blocks with promtool: the OpenMetrics file first, then the project's recording rules
// (backfilled data is never seen by the rule engine, so records a query reads must be backfilled too).
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { parse, stringify } from 'yaml';
import { DATASET_END, DATASET_START } from './timeline';

const run = promisify(execFile);

// Block ranges promtool writes (2h, then 3x larger): a window of one of these, aligned to it, becomes exactly one block.
export const BLOCK_HOURS = [2, 6];

// One window's OpenMetrics file into one block of the data dir. promtool cuts blocks at multiples of the block
// range since the epoch, so a window that is one range long and starts on a multiple never shares a block range.
export async function backfillOpenMetrics(file: string, dataDir: string, windowHours: number): Promise<void> {
  if (!BLOCK_HOURS.includes(windowHours) || DATASET_START % (windowHours * 3600) !== 0) {
    throw new Error(`a ${windowHours}h window is not one promtool block: use ${BLOCK_HOURS.join(' or ')} hours`);
  }
  await run(
    'promtool',
    ['tsdb', 'create-blocks-from', 'openmetrics', `--max-block-duration=${windowHours}h`, file, dataDir],
    { maxBuffer: 1 << 24 }
  );
}

export interface BlockRange {
  ulid: string;
  minTime: number; // ms, inclusive
  maxTime: number; // ms, exclusive
}

// The blocks in a data dir, in time order; throws when two of them cover the same time.
export function blocksWithoutOverlap(dataDir: string): BlockRange[] {
  const blocks = readdirSync(dataDir)
    .filter((d) => existsSync(join(dataDir, d, 'meta.json')))
    .map((ulid) => {
      const meta = JSON.parse(readFileSync(join(dataDir, ulid, 'meta.json'), 'utf8'));
      return { ulid, minTime: meta.minTime as number, maxTime: meta.maxTime as number };
    })
    .sort((a, b) => a.minTime - b.minTime);
  for (let i = 1; i < blocks.length; i++) {
    if (blocks[i].minTime < blocks[i - 1].maxTime) {
      throw new Error(`blocks ${blocks[i - 1].ulid} and ${blocks[i].ulid} overlap`);
    }
  }
  return blocks;
}

interface RecordingRule {
  record: string;
  expr: string;
}

interface RulesFile {
  groups: Array<{ name: string; interval?: string; rules: Array<RecordingRule | { alert: string }> }>;
}

export function recordingRules(rulesFile: string): RecordingRule[] {
  const parsed = parse(readFileSync(rulesFile, 'utf8')) as RulesFile;
  return parsed.groups.flatMap((g) => g.rules.filter((r): r is RecordingRule => 'record' in r));
}

// promtool cannot backfill a rule that reads another rule's output in the same run: split the rules into passes
// where each pass reads only records the earlier passes wrote.
export function rulePasses(rules: RecordingRule[]): RecordingRule[][] {
  const passes: RecordingRule[][] = [];
  const done = new Set<string>();
  let pending = rules;
  while (pending.length > 0) {
    const ready = pending.filter((r) =>
      rules.every((other) => other === r || done.has(other.record) || !readsRecord(r.expr, other.record))
    );
    if (ready.length === 0) {
      throw new Error(`recording rules read each other in a cycle: ${pending.map((r) => r.record).join(', ')}`);
    }
    passes.push(ready);
    ready.forEach((r) => done.add(r.record));
    pending = pending.filter((r) => !ready.includes(r));
  }
  return passes;
}

function readsRecord(expr: string, record: string): boolean {
  return new RegExp(`(^|[^A-Za-z0-9_:])${record.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}($|[^A-Za-z0-9_:])`).test(expr);
}

// A rule group runs at a fixed offset into its interval, never on the whole minute a dashboard's step lands on; on it,
// a range ending on the minute would also take the record of the minute before (Prometheus 2's ranges include their
// left end). promtool's rule importer aligns its evaluations the same way (cmd/promtool/rules.go: importRule starts at
// grp.EvalTimestamp), and rules.Group derives the offset from the hash of the group's name and file
// (labels {name, file}.Hash() % interval). A file name that changes from run to run (a temp dir, a timestamp) gives a
// different offset on every run: the records of a minute land anywhere in it, and a test of "its minute" passes or
// fails by chance. So every pass uses the same group name and the same relative file name, chosen so the offset is
// half a minute (30.005 s with a 60 s interval); scenario.test.ts checks the records land there.
export const RULE_OFFSET_SECONDS = 30;
export const RULE_GROUP = 'scenario-114';
const RULE_FILE = 'recording-rules.yaml';

// Evaluates one pass against a running Prometheus and moves the blocks it writes into that server's data dir; the
// server must be restarted to see them.
export async function backfillRulePass(
  rules: RecordingRule[],
  url: string,
  dataDir: string,
  workDir: string,
  evalInterval = '60s'
): Promise<void> {
  const dir = mkdtempSync(join(workDir, 'rule-pass-'));
  writeFileSync(join(dir, RULE_FILE), stringify({ groups: [{ name: RULE_GROUP, rules }] }));
  const out = join(dir, 'blocks');
  mkdirSync(out);
  await run(
    'promtool',
    [
      'tsdb',
      'create-blocks-from',
      'rules',
      `--start=${DATASET_START}`,
      `--end=${DATASET_END}`,
      `--url=${url}`,
      `--output-dir=${out}`,
      `--eval-interval=${evalInterval}`,
      RULE_FILE, // relative, run in dir: the group's file, and so its offset, is the same on every run
    ],
    { maxBuffer: 1 << 24, cwd: dir }
  );
  for (const block of readdirSync(out)) {
    renameSync(join(out, block), join(dataDir, block));
  }
}
