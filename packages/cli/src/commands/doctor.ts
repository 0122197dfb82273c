import { printJson } from '../output/format.js';
import { LIMIT } from '../output/options.js';
import { withProject } from '../output/project.js';
import type { GlobalCommand } from './index.js';

interface Finding {
  readonly area: 'database' | 'runs' | 'blobs' | 'temp';
  readonly ok: boolean;
  readonly message: string;
  readonly repaired?: boolean;
}

/** Spool and temp files older than this are leftovers of a crashed writer even while runs are active. */
const TEMP_AGE_MS = 60 * 60_000;

export function register(program: GlobalCommand): void {
  program
    .command('doctor')
    .description(
      'check the metadata store (integrity, schema, dangling rows), artifact blobs, temporary leftovers and stuck runs; --repair fixes what is safe',
    )
    .option('--full', 'verify the hash of every blob (default: a random sample)')
    .option('--sample <n>', 'blobs to verify without --full', LIMIT, 50)
    .option('--repair', 'quarantine corrupt blobs, remove temporary leftovers, close dangling rows')
    .option('--json', 'print the findings as JSON')
    .action(async (options, command) => {
      const stackName = command.optsWithGlobals().stack;
      const findings = await withProject(
        async (project) => {
          const { checkDatabase, listBlobs, SqlStrataDatabase } = await import('@strata/metadata');
          const { reconcileRuns, storedDigest, quarantineBlob } = await import('@strata/core/plugin');
          const repair = options.repair === true;
          const out: Finding[] = [];
          const db = project.database;
          if (db instanceof SqlStrataDatabase)
            for (const f of await checkDatabase(db, { repair }))
              out.push({
                area: 'database',
                ok: f.ok,
                message: f.message,
                ...(f.repaired ? { repaired: true } : {}),
              });

          // Stuck runs: the same reconciliation every reader does, over every active run.
          const active = [
            ...(await db.listRuns({ status: 'running', limit: 100_000 })),
            ...(await db.listRuns({ status: 'pending', limit: 100_000 })),
          ];
          const now = await reconcileRuns(db, active);
          const crashed = now.filter((r) => r.status === 'crashed');
          const still = now.filter((r) => r.status === 'running' || r.status === 'pending');
          out.push({
            area: 'runs',
            ok: crashed.length === 0,
            message: `${active.length} runs marked active: ${crashed.length} had lost their owner and are now crashed${crashed.length ? ` (${crashed.map((r) => r.id).join(', ')}; resume with \`strata runs resume RUN\`)` : ''}, ${still.length} still running`,
            ...(crashed.length ? { repaired: true } : {}),
          });

          const stack = await project.buildStack(stackName);
          try {
            const store = stack.artifactStore;
            const blobs = await listBlobs(
              db as InstanceType<typeof SqlStrataDatabase>,
              options.full ? undefined : options.sample,
            );
            const here = blobs.filter((b) => b.storeIdentity === store.identity);
            let missing = 0;
            let corrupt = 0;
            let moved = 0;
            for (const blob of here) {
              const digest = await storedDigest(store, blob.storeKey);
              if (digest === undefined) {
                missing++;
                out.push({
                  area: 'blobs',
                  ok: false,
                  message: `missing: ${store.uri(blob.storeKey)} (artifact ${blob.artifactId}); re-run its producer with \`strata run FILE --no-cache\``,
                });
              } else if (digest !== blob.sha256) {
                corrupt++;
                const aside = repair ? await quarantineBlob(store, blob.storeKey, blob.sha256) : undefined;
                if (aside) moved++;
                out.push({
                  area: 'blobs',
                  ok: false,
                  message: `corrupt: ${store.uri(blob.storeKey)} (artifact ${blob.artifactId}) hashes to ${digest}${aside ? `; moved aside to ${aside}` : ''}; re-run its producer with \`strata run FILE --no-cache\``,
                  ...(aside ? { repaired: true } : {}),
                });
              }
            }
            out.push({
              area: 'blobs',
              ok: missing + corrupt === 0,
              message: `${here.length} blobs verified (${options.full ? 'all' : `a sample of at most ${options.sample}; --full checks every one`}) in ${store.identity}: ${missing} missing, ${corrupt} corrupt${moved ? `, ${moved} quarantined` : ''}${blobs.length > here.length ? `; ${blobs.length - here.length} in other stores (pass --stack)` : ''}`,
            });
            out.push(...(await tempLeftovers(project.root, store.spoolDir, still.length === 0, repair)));
            // Step containers (or other executors) of runs whose submitter is gone.
            const reaped = (await stack.orchestrator.reap?.(undefined, { dryRun: !repair })) ?? [];
            if (stack.orchestrator.reap)
              out.push({
                area: 'runs',
                ok: reaped.length === 0,
                message: `${reaped.length} ${stack.orchestrator.flavor} executors left by a submitter that is gone${reaped.map((l) => `\n       ${l}`).join('')}`,
                ...(repair && reaped.length > 0 ? { repaired: true } : {}),
              });
          } finally {
            await stack.close();
          }
          return out;
        },
        { read: true },
      );
      if (options.json) printJson(findings);
      else {
        for (const f of findings)
          process.stdout.write(
            `${f.ok ? 'ok  ' : f.repaired ? 'fixed' : 'FAIL'} ${f.area.padEnd(8)} ${f.message}\n`,
          );
      }
      const bad = findings.filter((f) => !f.ok && !f.repaired);
      if (bad.length > 0) {
        process.stderr.write(
          `${bad.length} problem${bad.length > 1 ? 's' : ''} left${options.repair ? '' : '; `strata doctor --repair` fixes what is safe'}\n`,
        );
        process.exitCode = 1;
      }
    });
}

/**
 * Partial files of interrupted writes: spool files (`*.part`) of the artifact store and temp files of
 * the project's own atomic writes. Removed by --repair when no run is active, else only once old.
 */
async function tempLeftovers(
  root: string,
  spoolDir: string | undefined,
  idle: boolean,
  repair: boolean,
): Promise<Finding[]> {
  const { readdir, rm, stat } = await import('node:fs/promises');
  const { join } = await import('node:path');
  const found: { path: string; size: number; age: number }[] = [];
  const scan = async (dir: string, match: (name: string) => boolean) => {
    const names = await readdir(dir).catch(() => [] as string[]);
    for (const name of names.filter(match)) {
      const s = await stat(join(dir, name)).catch(() => undefined);
      if (s?.isFile()) found.push({ path: join(dir, name), size: s.size, age: Date.now() - s.mtimeMs });
    }
  };
  if (spoolDir) await scan(spoolDir, (n) => n.endsWith('.part'));
  await scan(join(root, '.strata'), (n) => /\.\d+\.tmp$/.test(n));
  const removable = found.filter((f) => idle || f.age > TEMP_AGE_MS);
  if (repair) for (const f of removable) await rm(f.path, { force: true });
  const bytes = found.reduce((a, f) => a + f.size, 0);
  return [
    {
      area: 'temp',
      ok: found.length === 0,
      message: `${found.length} temporary leftovers (${bytes} bytes)${repair ? `, ${removable.length} removed` : ''}${found.length > removable.length ? `; ${found.length - removable.length} kept: runs are active and they are recent` : ''}`,
      ...(repair && found.length > 0 && removable.length === found.length ? { repaired: true } : {}),
    },
  ];
}
