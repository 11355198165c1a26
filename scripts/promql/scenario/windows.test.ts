// The scenario written window by window holds exactly the samples of the one-file day, each in its own window, and
// the blocks it becomes may not overlap.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';

import { backfillOpenMetrics, blocksWithoutOverlap } from './backfill';
import { generateScenarioInWindows, scenarioWindows } from './generate';
import { type Family, writeOpenMetrics } from './openmetrics';
import { DATASET_END, DATASET_START } from './timeline';

const dir = mkdtempSync(join(tmpdir(), 'containersec-windows-'));
after(() => rmSync(dir, { recursive: true, force: true }));

// Every 7 minutes over the day, a gap (NaN) in the third hour, and a pod created at 05:00.
const every = (seconds: number, from = DATASET_START) =>
  Float64Array.from({ length: Math.floor((DATASET_END - from) / seconds) }, (_, i) => from + i * seconds);
const steady = every(420);
const late = every(420, DATASET_START + 5 * 3600);
const families = (): Family[] => [
  {
    name: 'demo_requests_total',
    type: 'counter',
    help: 'Requests.',
    series: [
      {
        labels: { pod: 'a' },
        times: steady,
        values: steady.map((t, i) => (t >= DATASET_START + 7200 && t < DATASET_START + 10800 ? NaN : i)),
      },
      { labels: { pod: 'b"\\\n' }, times: late, values: late.map((_, i) => i * 0.5) },
    ],
  },
  {
    name: 'demo_up',
    type: 'gauge',
    help: 'Up.',
    series: [{ labels: { pod: 'a' }, times: steady, values: steady.map(() => 1) }],
  },
];

const sampleLines = (text: string) => text.split('\n').filter((l) => l !== '' && !l.startsWith('#'));
const timeOf = (line: string) => Number(line.slice(line.lastIndexOf(' ') + 1));

describe('the scenario in time windows', () => {
  it('cuts the day into back-to-back windows', () => {
    const windows = scenarioWindows(2);
    assert.equal(windows.length, 12);
    assert.equal(windows[0].start, DATASET_START);
    assert.equal(windows[11].end, DATASET_END);
    windows.slice(1).forEach((w, i) => assert.equal(w.start, windows[i].end));
  });

  it('writes every sample of the whole-day file exactly once, each in its window', async () => {
    const whole = join(dir, 'whole.om');
    const wholeStats = writeOpenMetrics(whole, families());
    const fromWindows: string[] = [];
    const stats = await generateScenarioInWindows(
      dir,
      2,
      async (file, window) => {
        const text = readFileSync(file, 'utf8');
        assert.ok(text.endsWith('# EOF\n'), 'each window file is a complete OpenMetrics document');
        for (const line of sampleLines(text)) {
          assert.ok(timeOf(line) >= window.start && timeOf(line) < window.end, `${line} outside its window`);
          fromWindows.push(line);
        }
        rmSync(file);
      },
      families
    );
    assert.deepEqual(fromWindows.sort(), sampleLines(readFileSync(whole, 'utf8')).sort());
    assert.equal(stats.files, 12);
    assert.equal(stats.samples, wholeStats.samples);
    assert.equal(stats.series, wholeStats.series);
    assert.ok(stats.peakFileBytes < wholeStats.bytes / 6, `largest window ${stats.peakFileBytes} bytes`);
  });

  it('refuses a scenario with samples outside the day', async () => {
    const outside = (): Family[] => [
      {
        name: 'demo_up',
        type: 'gauge',
        help: 'Up.',
        series: [{ labels: {}, times: Float64Array.of(DATASET_START, DATASET_END), values: Float64Array.of(1, 1) }],
      },
    ];
    await assert.rejects(
      generateScenarioInWindows(dir, 6, async (file) => rmSync(file), outside),
      /windows hold 1 samples but the scenario has 2/
    );
  });

  it('refuses a window that is not one promtool block range', async () => {
    await assert.rejects(backfillOpenMetrics('unused.om', dir, 4), /a 4h window is not one promtool block/);
  });
});

describe('blocks in the data dir', () => {
  const block = (data: string, ulid: string, minTime: number, maxTime: number) => {
    mkdirSync(join(data, ulid), { recursive: true });
    writeFileSync(join(data, ulid, 'meta.json'), JSON.stringify({ ulid, minTime, maxTime }));
  };

  it('accepts back-to-back blocks and lists them in time order', () => {
    const data = join(dir, 'adjacent');
    block(data, 'B', 7200_000, 14400_000);
    block(data, 'A', 0, 7200_000);
    mkdirSync(join(data, 'wal'));
    assert.deepEqual(
      blocksWithoutOverlap(data).map((b) => b.ulid),
      ['A', 'B']
    );
  });

  it('rejects blocks that cover the same time', () => {
    const data = join(dir, 'overlapping');
    block(data, 'A', 0, 7200_000);
    block(data, 'B', 3600_000, 10800_000);
    assert.throws(() => blocksWithoutOverlap(data), /blocks A and B overlap/);
  });

  it('turns two windows into two blocks that do not overlap (real promtool)', async () => {
    const data = join(dir, 'promtool');
    mkdirSync(data);
    await generateScenarioInWindows(
      dir,
      6,
      async (file) => {
        await backfillOpenMetrics(file, data, 6);
        rmSync(file);
      },
      families
    );
    const blocks = blocksWithoutOverlap(data);
    assert.equal(blocks.length, 4);
    assert.equal(blocks[0].minTime, DATASET_START * 1000);
  });
});
