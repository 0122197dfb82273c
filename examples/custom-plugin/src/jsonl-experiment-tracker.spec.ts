// The experiment tracker contract from @strata/testing, run against this plugin's tracker: `read`
// parses the tracker's own output (the JSON lines file) back.
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describeExperimentTrackerContract } from '@strata/testing';
import { JsonlExperimentTracker } from './jsonl-experiment-tracker.js';

describeExperimentTrackerContract('jsonl (examples/custom-plugin)', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'strata-jsonl-tracker-'));
  const file = join(dir, 'experiments.jsonl');
  return {
    tracker: new JsonlExperimentTracker(file, false),
    async read(run) {
      const lines = (await readFile(file, 'utf8'))
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l));
      const start = lines.find((l) => l.event === 'start' && l.id === run.id);
      const finish = lines.find((l) => l.event === 'finish' && l.id === run.id);
      return {
        status: finish?.status ?? 'running',
        params: start.params,
        metrics: finish?.metrics ?? {},
        tags: start.tags,
      };
    },
    cleanup: () => rm(dir, { recursive: true, force: true }),
  };
});
