import { describe, expect, it } from 'vitest';
import type { StepRun, StepStatus } from '../api/types.js';
import { nodeStates, withStepStatus } from './node-state.js';

function row(nodeId: string, mapIndex: number, status: StepStatus): StepRun {
  return {
    id: mapIndex < 0 ? `r/${nodeId}` : `r/${nodeId}[${mapIndex}]`,
    runId: 'r',
    nodeId,
    stepName: nodeId,
    mapIndex,
    status,
    cacheKey: null,
    cacheParts: null,
    cacheReason: null,
    cachedFrom: null,
    attempt: 1,
    startedAt: null,
    endedAt: null,
    error: null,
    errorStack: null,
  };
}

describe('nodeStates', () => {
  it('takes an ordinary step status from its row', () => {
    const s = nodeStates([row('load', -1, 'completed'), row('train', -1, 'running')]);
    expect(s.get('load')?.status).toBe('completed');
    expect(s.get('train')?.status).toBe('running');
  });

  it('counts map instances and calls a half-done map running', () => {
    const s = nodeStates([
      row('square', -1, 'running'),
      row('square', 0, 'completed'),
      row('square', 1, 'cached'),
      row('square', 2, 'pending'),
    ]);
    const n = s.get('square');
    expect(n?.status).toBe('running');
    expect(n?.counts).toEqual({ completed: 1, cached: 1, pending: 1 });
    expect(n?.instances.map((i) => i.mapIndex)).toEqual([0, 1, 2]);
  });

  it('marks a map failed when one instance failed, and completed when all finished', () => {
    expect(nodeStates([row('m', 0, 'completed'), row('m', 1, 'failed')]).get('m')?.status).toBe('failed');
    expect(nodeStates([row('m', 0, 'completed'), row('m', 1, 'cached')]).get('m')?.status).toBe('completed');
  });

  it('sets the status of a row by id and ignores unknown ids', () => {
    const a = [row('a', -1, 'running')];
    expect(withStepStatus(a, 'r/a', 'completed')[0]?.status).toBe('completed');
    expect(withStepStatus(a, 'r/zz', 'completed')).toEqual(a);
    expect(a[0]?.status).toBe('running');
  });
});
