import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

/**
 * The memory-bounded large-file test, sized for CI (1-2 minutes): 1M rows (about 36 MB of CSV,
 * 1M distinct ids) streamed through one-pass statistics, schema inference and validation in a
 * child process whose JS heap is capped at 128 MB (--max-old-space-size; the rows as JS values
 * alone would need several times that) and whose peak RSS must stay under 320 MB. Memory does not
 * grow with the file: the same cap holds for any number of rows, only the time grows.
 */
const ROWS = 1_000_000;
const HEAP_MB = 128;
const BOUND_MB = 320;

describe('streaming a large file', () => {
  it(`profiles and validates ${ROWS.toLocaleString('en')} rows in bounded memory`, {
    timeout: 600_000,
  }, () => {
    const dir = mkdtempSync(join(tmpdir(), 'strata-stream-'));
    try {
      const file = join(dir, 'big.csv');
      const root = fileURLToPath(new URL('../../../../', import.meta.url));
      const child = spawnSync(
        process.execPath,
        [
          `--max-old-space-size=${HEAP_MB}`,
          '--import',
          'tsx',
          '--import',
          './packages/project/hooks/source-conditions.mjs',
          fileURLToPath(new URL('../__fixtures__/stream-profile.child.ts', import.meta.url)),
          file,
          String(ROWS),
        ],
        { cwd: root, encoding: 'utf8', maxBuffer: 1 << 24 },
      );
      expect(child.stderr).toBe('');
      expect(child.status).toBe(0);
      expect(statSync(file).size).toBeGreaterThan(30 * 1024 * 1024);
      const result = JSON.parse(child.stdout.trim().split('\n').at(-1)!);
      expect(result.statistics.rowCount).toBe(ROWS);
      const length = result.statistics.features.length;
      expect(length.count + length.missing).toBe(ROWS);
      expect(length.approximate).toEqual({ quantileRankError: 0.003 });
      expect(length.min).toBeGreaterThanOrEqual(38);
      expect(length.max).toBeLessThanOrEqual(51);
      // 1M distinct ids: counted by HyperLogLog within its error, never held as a set.
      const id = result.statistics.features.id;
      expect(Math.abs(id.distinct - ROWS) / ROWS).toBeLessThan(0.03);
      expect(result.statistics.features.species.distinct).toBe(3);
      expect(result.ok).toBe(true);
      expect(result.peakRssMb).toBeLessThan(BOUND_MB);
      console.log(`streamed ${ROWS} rows in ${result.seconds.toFixed(1)} s, peak RSS ${result.peakRssMb} MB`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
