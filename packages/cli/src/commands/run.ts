import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Command } from '@commander-js/extra-typings';
import { isPipeline, type Snapshot, type Stack, StrataError } from '@strata/core';

export function registerRun(program: Command<[], { debug?: true; stack?: string }>): void {
  program
    .command('run')
    .description('run a pipeline defined in FILE on the active (or --stack) stack')
    .argument('<file>', 'a .ts or .js module exporting a pipeline')
    .option('-p, --param <key=value...>', 'pipeline parameter (JSON values are parsed)')
    .option('--pipeline <name>', 'which pipeline, when the file exports several')
    .option('--no-cache', 'ignore cached step results for this run')
    .action(async (file, options, command) => {
      const { stack: stackName } = command.optsWithGlobals() as { stack?: string };
      const { register } = await import('tsx/esm/api');
      register();
      const { openStack } = await import('@strata/project');
      const module = (await import(pathToFileURL(resolve(file)).href)) as Record<string, unknown>;
      const pipelines = Object.values(module).filter(isPipeline);
      const chosen = options.pipeline ? pipelines.filter((p) => p.name === options.pipeline) : pipelines;
      if (chosen.length !== 1) {
        throw new StrataError(
          chosen.length === 0
            ? `${file} exports no pipeline${options.pipeline ? ` named "${options.pipeline}"` : ''}`
            : `${file} exports several pipelines: ${chosen.map((p) => p.name).join(', ')}`,
          {
            code: 'no_pipeline',
            field: 'file',
            value: file,
            fix:
              chosen.length === 0
                ? 'export the value returned by pipeline({...}) from the file'
                : 'choose one with --pipeline NAME',
          },
        );
      }
      const stack = await openStack(stackName === undefined ? {} : { stack: stackName });
      try {
        const handle = await chosen[0]!.run({
          stack,
          params: parseParams(options.param ?? []),
          noCache: options.cache === false,
        });
        process.stdout.write(`run ${handle.id} (${handle.name}) on stack ${stack.name}\n`);
        const run = await handle.wait();
        await printSteps(stack, run.id, handle);
        process.stdout.write(`run ${run.id} ${run.status}${run.error ? `: ${run.error}` : ''}\n`);
        if (run.status !== 'completed') process.exitCode = 1;
      } finally {
        await stack.close();
      }
    });
}

/** One line per step in pipeline order, with its cache reason and a preview of small outputs. */
async function printSteps(stack: Stack, runId: string, handle: { readonly id: string }): Promise<void> {
  const rows = new Map(
    (await stack.database.listStepRuns(runId)).filter((r) => r.mapIndex < 0).map((r) => [r.nodeId, r]),
  );
  const run = await stack.database.getRun(handle.id);
  const snapshot = (await stack.database.getSnapshot(run!.snapshotId))!.body as unknown as Snapshot;
  for (const node of snapshot.nodes) {
    const row = rows.get(node.id);
    if (!row) continue;
    const outputs = (await stack.database.stepRunEvents(row.id))
      .filter((e) => e.type === 'output' && e.artifact.size <= 64)
      .map((e) => `${e.name}=${(e.artifact.summary as { preview?: string } | null)?.preview ?? ''}`);
    const detail = [row.cacheReason, ...outputs].filter(Boolean).join('; ');
    process.stdout.write(`  ${row.status.padEnd(9)} ${node.id}${detail ? `  (${detail})` : ''}\n`);
  }
}

function parseParams(pairs: readonly string[]): Record<string, unknown> {
  const params: Record<string, unknown> = {};
  for (const pair of pairs) {
    const eq = pair.indexOf('=');
    if (eq <= 0) {
      throw new StrataError(`parameter "${pair}" is not key=value`, {
        code: 'bad_param',
        field: 'param',
        value: pair,
        fix: 'write --param trees=50',
      });
    }
    const raw = pair.slice(eq + 1);
    try {
      params[pair.slice(0, eq)] = JSON.parse(raw);
    } catch {
      params[pair.slice(0, eq)] = raw;
    }
  }
  return params;
}
