import { describe, expect, it } from 'vitest';
import { isStrataError, type StrataError } from '../errors/strata-error.js';
import type { AliasChange, ModelVersionRecord } from '../metadata/model-registry-store.js';
import type { AliasMove, ModelRegistry } from './model-registry.js';
import { checkAliasName, gateVerdict, promoteGated } from './promotion.js';

const version = (n: number, metadata: ModelVersionRecord['metadata']): ModelVersionRecord => ({
  model: 'm',
  version: n,
  artifactId: `a${n}`,
  runId: null,
  metrics: {},
  metadata,
  createdAt: 0,
});

/** v1 blessed, v2 refused by its gate, v3 registered without one; records every promote it is asked for. */
function fakeRegistry() {
  const moves: { version: number; move: AliasMove }[] = [];
  const versions = [
    version(1, { blessed: true, gateReason: 'Blessed: accuracy 0.9 reaches the threshold 0.5.' }),
    version(2, { blessed: false, gateReason: 'Not blessed: accuracy 0.4 is below the threshold 0.5.' }),
    version(3, { adapter: 'byHand' }),
  ];
  const registry = {
    flavor: 'fake',
    versions: async (model: string) => (model === 'm' ? versions : []),
    promote: async (model: string, n: number, move: AliasMove): Promise<AliasChange> => {
      moves.push({ version: n, move });
      const { alias = 'production', reason, actor } = move;
      return { model, alias, version: n, previousVersion: null, action: 'promote', reason, actor, at: 1 };
    },
  } as unknown as ModelRegistry;
  return { registry, moves };
}

const refusal = async (work: Promise<unknown>): Promise<StrataError> => {
  const error = await work.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(isStrataError(error), `expected a StrataError, got ${String(error)}`).toBe(true);
  return error as StrataError;
};

const move = { reason: 'by hand', actor: 'user:t' };

describe('gateVerdict', () => {
  it("reads the push step's blessed and gateReason, and says not_gated without them", () => {
    expect(gateVerdict(version(1, { blessed: true, gateReason: 'ok' }))).toEqual({
      state: 'blessed',
      reason: 'ok',
    });
    expect(gateVerdict(version(1, { blessed: false }))).toEqual({ state: 'not_blessed', reason: null });
    expect(gateVerdict(version(1, null)).state).toBe('not_gated');
    expect(gateVerdict(version(1, { blessed: 'false' })).state).toBe('not_gated');
  });
});

describe('promoteGated', () => {
  it('promotes a blessed version with the reason as given', async () => {
    const { registry, moves } = fakeRegistry();
    const result = await promoteGated(registry, 'm', 1, move);
    expect(result).toMatchObject({ gate: { state: 'blessed' }, forced: false });
    expect(moves).toEqual([
      { version: 1, move: { alias: 'production', reason: 'by hand', actor: 'user:t' } },
    ]);
  });

  it("refuses a version its gate did not bless, naming it, the gate's verdict and --force; nothing moves", async () => {
    const { registry, moves } = fakeRegistry();
    const error = await refusal(promoteGated(registry, 'm', 2, { ...move, alias: 'staging' }));
    expect(error.code).toBe('model_not_blessed');
    expect(error.field).toBe('version');
    expect(error.value).toBe('m@2');
    expect(error.message).toContain('m v2 was not blessed');
    expect(error.message).toContain('to staging');
    expect(error.message).toContain('accuracy 0.4 is below the threshold 0.5');
    expect(error.fix).toContain('--force');
    expect(moves).toEqual([]);
    const api = await refusal(promoteGated(registry, 'm', 2, move, { forceHint: '"force": true' }));
    expect(api.fix).toContain('"force": true');
  });

  it('promotes it with force, and the recorded reason says it was forced and why', async () => {
    const { registry, moves } = fakeRegistry();
    const result = await promoteGated(registry, 'm', 2, { ...move, force: true });
    expect(result.forced).toBe(true);
    expect(moves[0]!.move.reason).toBe(
      'by hand [forced past the gate: Not blessed: accuracy 0.4 is below the threshold 0.5.]',
    );
    // force on a blessed version changes nothing: it was not forced.
    expect((await promoteGated(registry, 'm', 1, { ...move, force: true })).forced).toBe(false);
    expect(moves[1]!.move.reason).toBe('by hand');
  });

  it('promotes a version registered without a gate, and says so', async () => {
    const { registry, moves } = fakeRegistry();
    const result = await promoteGated(registry, 'm', 3, move);
    expect(result).toMatchObject({ gate: { state: 'not_gated', reason: null }, forced: false });
    expect(moves.map((m) => m.version)).toEqual([3]);
  });

  it('names an unknown model, an unknown version and a bad alias before moving anything', async () => {
    const { registry, moves } = fakeRegistry();
    const model = await refusal(promoteGated(registry, 'nosuch', 1, move));
    expect(model).toMatchObject({ code: 'unknown_model', field: 'model', value: 'nosuch' });
    const missing = await refusal(promoteGated(registry, 'm', 9, move));
    expect(missing).toMatchObject({ code: 'unknown_model_version', field: 'version', value: 9 });
    expect(missing.message).toContain('it has v1, v2, v3');
    const alias = await refusal(promoteGated(registry, 'm', 1, { ...move, alias: 'bad alias!' }));
    expect(alias).toMatchObject({ code: 'invalid_name', field: 'alias', value: 'bad alias!' });
    expect(moves).toEqual([]);
  });
});

describe('checkAliasName', () => {
  it('accepts the names the store accepts, and refuses all digits, spaces and empty', () => {
    for (const ok of ['production', 'staging', 'canary-2', 'v1.2_b']) expect(checkAliasName(ok)).toBe(ok);
    expect(() => checkAliasName('3')).toThrow(/would read as a version number/);
    expect(() => checkAliasName('bad alias!')).toThrow(/only letters, digits/);
    expect(() => checkAliasName('')).toThrow(/it is empty/);
    expect(() => checkAliasName('x'.repeat(65))).toThrow(/longer than 64/);
  });
});
