import type { StackDraft } from '@strata/core/plugin';
import { openDatabase } from '@strata/metadata';
import { describe, expect, it } from 'vitest';
import { temporalOrchestratorConfig, temporalOrchestratorFlavor, validateTemporalStack } from './flavor.js';

const draft = (
  config: Record<string, unknown>,
  database: { url: string; shared: boolean },
  store = 'local',
): StackDraft => ({
  name: 'workers',
  components: {
    orchestrator: { flavor: temporalOrchestratorFlavor, config: temporalOrchestratorConfig.parse(config) },
    artifact_store: {
      flavor: { ...temporalOrchestratorFlavor, type: 'artifact_store', name: store },
      config: {},
    },
  },
  database,
});

const sqlite = { url: 'sqlite:/home/ana/proj/.strata/strata.db', shared: false };
const postgres = { url: 'postgres://ml:***@db.internal:5432/strata', shared: true };

describe('temporal stack validation', () => {
  it('explains that workers elsewhere cannot reach a SQLite store, and what to change', () => {
    const problems = validateTemporalStack(draft({}, sqlite, 's3'));
    expect(problems).toHaveLength(1);
    expect(problems[0]).toContain('embedded SQLite metadata store (sqlite:/home/ana/proj/.strata/strata.db)');
    expect(problems[0]).toMatch(
      /use a PostgreSQL metadata store \(STRATA_DATABASE_URL=postgres:\/\/\.\.\.\)/,
    );
    expect(problems[0]).toMatch(/or set localWorkersOnly: true/);
  });

  it('also names a local artifact store', () => {
    const problems = validateTemporalStack(draft({}, sqlite));
    expect(problems).toHaveLength(2);
    expect(problems[1]).toMatch(/local artifact store .* use an object store \(s3, gcs, azure\)/);
  });

  it('accepts a shared PostgreSQL store with an object store, or workers declared local', () => {
    expect(validateTemporalStack(draft({}, postgres, 's3'))).toEqual([]);
    expect(validateTemporalStack(draft({ localWorkersOnly: true }, sqlite))).toEqual([]);
    // The decision follows database.shared, not the look of the URL.
    expect(validateTemporalStack(draft({}, { ...postgres, shared: false }, 's3'))).toHaveLength(1);
  });

  it('checks only stacks whose orchestrator is temporal', () => {
    const other = draft({}, sqlite);
    const local = {
      ...other,
      components: {
        ...other.components,
        orchestrator: {
          ...other.components.orchestrator!,
          flavor: { ...temporalOrchestratorFlavor, name: 'local' },
        },
      },
    };
    expect(validateTemporalStack(local)).toEqual([]);
  });

  it('reads shared from the real embedded store (what draftStack passes)', async () => {
    const db = await openDatabase(':memory:');
    try {
      const problems = validateTemporalStack(draft({}, { url: db.url, shared: db.shared }, 's3'));
      expect(problems[0]).toContain('embedded SQLite metadata store (sqlite::memory:)');
    } finally {
      await db.close();
    }
  });
});
