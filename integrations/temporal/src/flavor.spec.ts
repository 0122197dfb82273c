import type { AnyFlavor, StackDraft } from '@strata/core';
import { describe, expect, it } from 'vitest';
import { temporalOrchestratorConfig, temporalOrchestratorFlavor, validateTemporalStack } from './flavor.js';

const flavor = (name: string) => ({ name }) as AnyFlavor;

function draft(options: { shared: boolean; store: string; localWorkersOnly?: boolean }): StackDraft {
  return {
    name: 'prod',
    database: {
      url: options.shared ? 'postgres://db/strata' : 'sqlite:/p/.strata/strata.db',
      shared: options.shared,
    },
    components: {
      orchestrator: {
        flavor: temporalOrchestratorFlavor,
        config: temporalOrchestratorConfig.parse({ localWorkersOnly: options.localWorkersOnly ?? false }),
      },
      artifact_store: { flavor: flavor(options.store), config: {} },
    },
  };
}

describe('temporal stack validation', () => {
  it('says that SQLite metadata and a local artifact store only work with every worker on this machine', () => {
    const problems = validateTemporalStack(draft({ shared: false, store: 'local' }));
    expect(problems).toHaveLength(2);
    expect(problems[0]).toContain(
      'SQLite metadata store (sqlite:/p/.strata/strata.db) only works when all workers run on this machine',
    );
    expect(problems[1]).toContain('local artifact store only works when all workers run on this machine');
    expect(problems.join(' ')).toContain('localWorkersOnly: true');
  });

  it('accepts PostgreSQL with an object store, or an explicit localWorkersOnly', () => {
    expect(validateTemporalStack(draft({ shared: true, store: 's3' }))).toEqual([]);
    expect(validateTemporalStack(draft({ shared: false, store: 'local', localWorkersOnly: true }))).toEqual(
      [],
    );
  });

  it('has defaults for a local dev server and rejects a bad batch size', () => {
    const config = temporalOrchestratorConfig.parse({});
    expect(config).toMatchObject({ address: '127.0.0.1:7233', namespace: 'default', taskQueue: 'strata' });
    expect(temporalOrchestratorConfig.safeParse({ batchSize: 0 }).success).toBe(false);
  });
});
