import { describe, expect, it } from 'vitest';
import type { AliasChange } from '../metadata/model-registry-store.js';
import { parseModelRef, rollbackTarget } from './model-registry.js';

function change(version: number, action: AliasChange['action'], alias = 'production'): AliasChange {
  return { model: 'm', alias, version, previousVersion: null, action, reason: '', actor: 't', at: 0 };
}

describe('parseModelRef', () => {
  it('reads a name, an alias and a version number', () => {
    expect(parseModelRef('penguins')).toEqual({ model: 'penguins' });
    expect(parseModelRef('penguins@production')).toEqual({ model: 'penguins', alias: 'production' });
    expect(parseModelRef('penguins@3')).toEqual({ model: 'penguins', version: 3 });
  });

  it('rejects a malformed reference with a fix', () => {
    expect(() => parseModelRef('pen guins@')).toThrow(/is not valid/);
  });
});

describe('rollbackTarget', () => {
  it('is the version held before the current one', () => {
    expect(rollbackTarget([change(1, 'promote'), change(2, 'promote')], 'production')).toBe(1);
  });

  it('walks further back on repeated rollbacks instead of bouncing', () => {
    const history = [change(1, 'promote'), change(2, 'promote'), change(3, 'promote'), change(2, 'rollback')];
    expect(rollbackTarget(history, 'production')).toBe(1);
  });

  it('ignores other aliases and has no target with a single promotion', () => {
    expect(rollbackTarget([change(1, 'promote'), change(2, 'promote', 'staging')], 'production')).toBe(
      undefined,
    );
  });
});
