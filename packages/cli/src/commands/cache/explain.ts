import type { CacheExplanation, CacheParts } from '@strata/core';
import { bold, dim, printJson, printTable, statusColour } from '../../output/format.js';
import { readProject } from '../../output/project.js';
import type { Group } from './index.js';

const short = (hash: string) => (hash.length > 20 ? `${hash.slice(0, 16)}…` : hash);

/** One row per part of the key: what it is, and its hash or value. */
function partRows(parts: CacheParts): string[][] {
  const rows: string[][] = [['code', '', short(parts.code)]];
  for (const [file, hash] of Object.entries(parts.files ?? {})) rows.push(['file', file, short(hash)]);
  for (const [name, version] of Object.entries(parts.packages ?? {})) rows.push(['package', name, version]);
  for (const [name, value] of Object.entries(parts.params)) rows.push(['param', name, JSON.stringify(value)]);
  for (const [name, hash] of Object.entries(parts.inputs)) {
    rows.push(['input', name, Array.isArray(hash) ? `[${hash.map(short).join(', ')}]` : short(hash)]);
  }
  for (const [name, source] of Object.entries(parts.sources ?? {})) {
    const count = source.entries ? ` (${Object.keys(source.entries).length} files)` : '';
    rows.push(['source', name, `${source.uri} ${short(source.digest)}${count}`]);
  }
  for (const [name, materializer] of Object.entries(parts.outputs)) rows.push(['output', name, materializer]);
  rows.push(['store', '', parts.store]);
  return rows;
}

function print(e: CacheExplanation): void {
  process.stdout.write(`${bold(`step ${e.stepRunId}`)} · ${statusColour(e.status)}\n`);
  process.stdout.write(`  ${e.reason ?? 'no cache decision recorded'}\n`);
  if (!e.parts) {
    process.stdout.write(`  ${dim('no cache key: the step never reached the cache lookup')}\n`);
    return;
  }
  process.stdout.write(
    `  key ${e.cacheKey ?? '-'}${e.cachedFrom ? ` · outputs reused from ${e.cachedFrom}` : ''}\n\n`,
  );
  printTable(['PART', 'NAME', 'VALUE'], partRows(e.parts));
  process.stdout.write('\n');
  if (!e.previous) {
    process.stdout.write('no earlier execution of this step to compare with\n');
    return;
  }
  const same = e.previous.cacheKey === e.cacheKey;
  process.stdout.write(
    `compared with ${e.previous.stepRunId} (${e.previous.status}${same ? ', same key' : ''}):\n`,
  );
  if (e.changes.length === 0) process.stdout.write('  nothing in the key changed\n');
  for (const change of e.changes) process.stdout.write(`  - ${change}\n`);
}

export function register(group: Group): void {
  group
    .command('explain')
    .description(
      "every part of a step's cache key and what changed since the step's nearest earlier execution",
    )
    .argument('<run>', 'run id')
    .argument('<step>', 'step (node id; node[i] for one instance of a mapped step)')
    .option('--json', 'print JSON')
    .action(async (runId, step, options) => {
      await readProject(async (project) => {
        const { CacheExplainer, StrataError } = await import('@strata/core');
        const run = await project.database.getRun(runId);
        if (!run)
          throw new StrataError(`run ${runId} does not exist`, {
            code: 'unknown_run',
            field: 'run',
            value: runId,
            fix: 'list runs with `strata runs list`',
          });
        const explanation = await new CacheExplainer(project.database, run).explain(step);
        if (options.json) printJson(explanation);
        else print(explanation);
      });
    });
}
