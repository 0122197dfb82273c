import { copyFile, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase } from '@strata/metadata';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServerTestProject, type ServerTestProject } from './testing/project.js';
import { seedRuns } from './testing/seed.js';
import { type ServerProcess, startServerProcess, strata, workspace } from './testing/server-process.js';
import { storeTargets } from './testing/targets.js';

for (const target of storeTargets()) {
  describe(`strata connect: a laptop browses a team's server on ${target.name}`, { timeout: 300_000 }, () => {
    let team: ServerTestProject;
    let server: ServerProcess;
    let laptop: string;
    const onLaptop = (...args: string[]) => strata(laptop, args);

    beforeAll(async () => {
      team = await createServerTestProject(await target.url());
      await copyFile(`${workspace}/examples/concepts/readme.ts`, `${team.root}/demo.ts`);
      expect((await team.strata('run', 'demo.ts')).code).toBe(0);
      const db = await openDatabase(team.env.STRATA_DATABASE_URL ?? `${team.root}/.strata/strata.db`);
      try {
        await seedRuns(db, { count: 5, prefix: 'remote', stacks: ['default', 'default'] });
        const [artifact] = await db.listArtifacts({ limit: 1 });
        await db.registerModelVersion({
          model: 'clf',
          artifactId: artifact!.id,
          runId: null,
          metrics: null,
          metadata: null,
        });
      } finally {
        await db.close();
      }
      server = await startServerProcess(team.root, { env: team.env });
      // The laptop's project has its own (empty) store and no database credentials.
      laptop = await mkdtemp(join(tmpdir(), 'strata-laptop-'));
      await mkdir(join(laptop, '.strata'));
      await writeFile(join(laptop, '.strata', 'config.json'), '{}\n');
    });

    afterAll(async () => {
      await server?.stop();
      await team?.dispose();
      await rm(laptop, { recursive: true, force: true });
      await target.dispose();
    });

    it('reads runs, pipelines, artifacts, lineage, logs and models through the server, then disconnects', async () => {
      const token = (
        await team.strata('server', 'token', 'create', 'laptop', '--scope', 'write')
      ).stdout.trim();
      // Tokens were created after the server started in local mode: restart to require them.
      await server.stop();
      server = await startServerProcess(team.root, { env: team.env });
      const bad = await onLaptop(
        'connect',
        server.url,
        '--token',
        'strata_0000000000000000_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA',
      );
      expect(bad.code).toBe(2);
      expect(bad.stderr).toContain('invalid or revoked token');
      const connected = await onLaptop('connect', server.url, '--token', token);
      expect(connected.code, connected.stderr).toBe(0);
      expect(connected.stdout).toContain('as laptop (write)');

      const teamRuns = JSON.parse((await team.strata('runs', 'list', '--json', '-n', '50')).stdout) as {
        id: string;
      }[];
      const laptopRuns = JSON.parse((await onLaptop('runs', 'list', '--json', '-n', '50')).stdout) as {
        id: string;
      }[];
      expect(laptopRuns.map((r) => r.id)).toEqual(teamRuns.map((r) => r.id));
      expect((await onLaptop('pipelines', 'list')).stdout).toContain('demo');
      const demoRun = teamRuns.find((r) => r.id.startsWith('r-'))!.id;
      const show = await onLaptop('runs', 'show', demoRun);
      expect(show.code, show.stderr).toBe(0);
      expect(show.stdout).toContain('scale');
      const logs = await onLaptop('runs', 'logs', demoRun);
      expect(logs.stdout).toContain('scaling 3 rows');
      const artifacts = JSON.parse((await onLaptop('artifacts', 'list', '--json')).stdout) as {
        id: string;
      }[];
      expect(artifacts.length).toBeGreaterThan(0);
      const lineage = await onLaptop('artifacts', 'lineage', artifacts[0]!.id);
      expect(lineage.code, lineage.stderr).toBe(0);

      const promoted = await onLaptop('models', 'promote', 'clf', '1', '--reason', 'from the laptop');
      expect(promoted.code, promoted.stderr).toBe(0);
      const history = JSON.parse((await team.strata('models', 'show', 'clf@production', '--json')).stdout);
      expect(JSON.stringify(history)).toContain('from the laptop');
      expect((await onLaptop('runs', 'cancel', 'remote-r000002')).code).toBe(0);
      expect((await team.strata('runs', 'show', 'remote-r000002', '--json')).stdout).toContain('"cancelled"');
      const finished = await onLaptop('runs', 'cancel', 'remote-r000000');
      expect(finished.code).toBe(2);
      expect(finished.stderr).toContain('nothing to cancel');

      // `strata run` while connected runs here and records the run in the laptop's own store: it says
      // so, and the connected `runs show` says where the run is instead of only "does not exist".
      await copyFile(`${workspace}/examples/concepts/readme.ts`, join(laptop, 'demo.ts'));
      const ran = await onLaptop('run', 'demo.ts');
      expect(ran.code, ran.stderr).toBe(0);
      const laptopRun = /run (r-\S+) completed/.exec(ran.stdout + ran.stderr)![1]!;
      expect(ran.stderr).toContain(
        `note: run ${laptopRun} ran here and is recorded in this project's own store (sqlite:${laptop}/.strata/strata.db), not on ${server.url}, the server this project is connected to (it does not have the run)`,
      );
      const unknownThere = await onLaptop('runs', 'show', laptopRun);
      expect(unknownThere.code).toBe(2);
      expect(unknownThere.stderr).toContain(
        `run ${laptopRun} is not on the server this project is connected to (${server.url}); it is in this project's own store`,
      );
      expect(unknownThere.stderr).toContain('fix: see it with `strata ui`');
      expect((await onLaptop('runs', 'show', 'r-nowhere')).stderr).toContain('does not exist');
      // Connected to the server that reads its own store, a run lands where the server sees it: no note.
      expect((await team.strata('connect', server.url, '--token', token)).code).toBe(0);
      const teamRun = await team.strata('run', 'demo.ts');
      expect(teamRun.code, teamRun.stderr).toBe(0);
      expect(teamRun.stderr).not.toContain('note:');
      expect((await team.strata('disconnect')).code).toBe(0);

      // The server goes down: a clear error and exit 2, not fetch's "fetch failed" as a bug (exit 3).
      await server.stop();
      const offline = await onLaptop('run', 'demo.ts');
      expect(offline.code, offline.stderr).toBe(0);
      expect(offline.stderr).toContain('(it does not answer: cannot reach the Strata server at');
      const down = await onLaptop('runs', 'list');
      expect(down.code, down.stderr).toBe(2);
      expect(down.stderr).toContain(
        `cannot reach the Strata server at ${new URL(server.url).origin} (ECONNREFUSED)`,
      );
      expect(down.stderr).toContain('fix: start the server');
      expect(down.stderr).not.toContain(token);

      expect((await onLaptop('disconnect')).code).toBe(0);
      const own = JSON.parse((await onLaptop('runs', 'list', '--json')).stdout) as { id: string }[];
      expect(own.map((r) => r.id)).toContain(laptopRun);
      expect(own).toHaveLength(2);
    });
  });
}
