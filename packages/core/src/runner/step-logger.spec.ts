import { describe, expect, it, vi } from 'vitest';
import type { MetadataStore } from '../metadata/metadata-store.js';
import type { LogLine } from '../metadata/records.js';
import { BufferedStepLogger } from './step-logger.js';

function store() {
  const lines: LogLine[] = [];
  const appendLogs = vi.fn(async (batch: readonly LogLine[]) => {
    lines.push(...batch);
  });
  return { lines, appendLogs, db: { appendLogs } as unknown as MetadataStore };
}

describe('BufferedStepLogger', () => {
  it('a logger that logged nothing closes at once, writes nothing, and drops later lines', () => {
    const s = store();
    const logger = new BufferedStepLogger(s.db, 'sr-1');
    expect(logger.untouched).toBe(true);
    expect(logger.close()).toBeUndefined();
    logger.info('after the end');
    expect(logger.untouched).toBe(true);
    expect(s.appendLogs).not.toHaveBeenCalled();
  });

  it('a logger that logged flushes its lines on close, and drops the lines after', async () => {
    const s = store();
    const logger = new BufferedStepLogger(s.db, 'sr-2');
    logger.info('one');
    expect(logger.untouched).toBe(false);
    await logger.flush();
    expect(logger.untouched).toBe(false);
    logger.warn('two');
    const closing = logger.close();
    expect(closing).toBeInstanceOf(Promise);
    await closing;
    logger.info('three');
    await logger.flush();
    expect(s.lines.map((l) => [l.seq, l.level, l.message])).toEqual([
      [1, 'info', 'one'],
      [2, 'warn', 'two'],
    ]);
  });
});
