import { mark } from '../output/timing.js';
import { noteRanPipeline } from '../start/compile-cache.js';
import type { GlobalCommand } from './index.js';

const collect = (value: string, previous: string[] = []) => [...previous, value];

export function register(program: GlobalCommand): void {
  program
    .command('run')
    .description('run a pipeline defined in FILE on the active (or --stack) stack')
    .argument('<file>', 'a .ts or .js module exporting a pipeline')
    .option('-p, --param <key=value>', 'pipeline parameter, repeatable (JSON values are parsed)', collect)
    .option('-c, --config <run.yaml>', 'run config: params, per-step params/settings/cache (flags win)')
    .option('--pipeline <name>', 'which pipeline, when the file exports several')
    .option('--no-cache', 'ignore cached step results for this run')
    .option('--json', 'print the final run record as JSON')
    .action(async (file, options, command) => {
      mark('cli');
      const { stack: stackFlag } = command.optsWithGlobals() as { stack?: string };
      const lib = await import('@strata/project');
      mark('project');
      const config = options.config ? await lib.readRunConfig(options.config) : undefined;
      const resolved = lib.resolveRunOptions(
        {
          ...(stackFlag === undefined ? {} : { stack: stackFlag }),
          params: lib.parseParamFlags(options.param ?? []),
          noCache: options.cache === false,
        },
        config,
      );
      // The stack first: tsx's loader hooks (registered to import FILE) would slow every later import.
      const stack = await lib.openStack(resolved.stack === undefined ? {} : { stack: resolved.stack });
      mark('stack');
      const { Interrupts } = await import('../output/interrupt.js');
      let runId: string | undefined;
      let connectedNote: Promise<string | undefined> | undefined;
      const interrupts = new Interrupts(stack, () => runId);
      try {
        const definition = await lib.loadPipelineFile(file, options.pipeline);
        mark('pipeline');
        // Set by `strata agent` for a trigger's firing: the run id chosen when the firing was claimed,
        // and the firing (its parameter's value is Strata's, e.g. a data version: cut to what is declared).
        const chosenId = process.env.STRATA_RUN_ID || undefined;
        const firing = process.env.STRATA_TRIGGER_FIRING;
        const firingParam = firing ? (JSON.parse(firing) as { param?: string }).param : undefined;
        const handle = await definition.run({
          stack,
          params: lib.withFiringParamDeclared(definition, resolved.params, firingParam),
          noCache: resolved.noCache,
          overrides: resolved.overrides,
          ...(chosenId === undefined ? {} : { runId: chosenId }),
        });
        runId = handle.id;
        mark('submitted');
        // Connected (`strata connect`): the run is recorded here; say so when the server does not have it.
        const { existsSync } = await import('node:fs');
        const { join } = await import('node:path');
        if (existsSync(join(stack.projectRoot, '.strata', 'remote.json'))) {
          const { connectedRunNote } = await import('../remote/local-runs.js');
          connectedNote = connectedRunNote(stack.projectRoot, handle.id, stack.database.url, lib);
        }
        if (firing) {
          // Lineage: the run links back to the firing that started it (the firing names the run too).
          await stack.database.addMetadata([
            { ownerType: 'run', ownerId: handle.id, key: 'strata.trigger', value: JSON.parse(firing) },
          ]);
        }
        const { watchRun } = await import('../output/progress.js');
        const run = await watchRun(stack, handle, { json: options.json === true });
        mark('watched');
        noteRanPipeline();
        await interrupts.report();
        // 130/143 when a signal cancelled it (set by Interrupts), else 1 unless it completed.
        if (!interrupts.signal && run.status !== 'completed') process.exitCode = 1;
      } finally {
        const note = await connectedNote;
        if (note) process.stderr.write(note);
        interrupts.dispose();
        await stack.close();
        mark('closed');
      }
      // A cancelled in-process step may still be looping (it ignored its abort signal): the run is over
      // and recorded, so exit now with 130/143 instead of waiting for the step's code to give up.
      if (interrupts.signal) process.exit(process.exitCode);
    });
}
