import { readFileSync, writeFileSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { unwatched, watchUndeclaredReads } from './undeclared-reads.js';

const tick = () => new Promise((resolve) => setTimeout(resolve, 5));

describe('ReadWatcher: reads attributed to the step body that made them', () => {
  let root: string;
  let a: string;
  let b: string;
  beforeAll(async () => {
    // Not under the temp dir's strata-step-/strata-load- scratch prefixes, which are never reported.
    root = await mkdtemp(join(tmpdir(), 'reads-spec-'));
    a = join(root, 'a.txt');
    b = join(root, 'b.txt');
    writeFileSync(a, 'a');
    writeFileSync(b, 'b');
  });
  afterAll(() => rm(root, { recursive: true, force: true }));

  it('tells two interleaved bodies apart, drops reads outside and after them', async () => {
    const watcher = watchUndeclaredReads();
    const first = watcher.begin({ projectRoot: root, declared: [] });
    const second = watcher.begin({ projectRoot: root, declared: [b] });
    await Promise.all([
      first.run(async () => {
        await tick();
        readFileSync(a);
        await tick();
      }),
      second.run(async () => {
        await readFile(b); // declared
        await tick();
        await readFile(a);
      }),
    ]);
    readFileSync(b); // no step's
    const late = first.run(async () => {
      await tick();
      return readFile(b);
    });
    expect(first.end()).toEqual([a]);
    await late; // after end(): not recorded
    expect(first.end()).toEqual([a]);
    expect(second.end()).toEqual([a]);
  });

  it("leaves Strata's own reads for a step out (unwatched)", async () => {
    const session = watchUndeclaredReads().begin({ projectRoot: root, declared: [] });
    await session.run(() => unwatched(() => readFile(a)));
    expect(session.end()).toEqual([]);
  });
});
