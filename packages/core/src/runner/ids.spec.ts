import { describe, expect, it } from 'vitest';
import { newArtifactId, newRunId } from './ids.js';

describe('ids', () => {
  it('gives unique artifact ids of the documented shape across several refills of the random pool', () => {
    const ids = Array.from({ length: 3000 }, () => newArtifactId());
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of ids) expect(id).toMatch(/^a-[0-9a-z]+-[0-9a-f]{12}$/);
  });

  it('gives run ids that sort by time', () => {
    const early = newRunId(1_764_000_000_000);
    const late = newRunId(1_764_000_000_001);
    expect(early).toMatch(/^r-[0-9a-z]+-[0-9a-f]{10}$/);
    expect(early < late).toBe(true);
  });
});

describe('artifact ids', () => {
  it('carry the millisecond they were made in', () => {
    const a = newArtifactId(1_764_000_000_000);
    const b = newArtifactId(1_764_000_000_000);
    const c = newArtifactId(1_764_000_000_001);
    expect(a.slice(0, -12)).toBe(`a-${(1_764_000_000_000).toString(36)}-`);
    expect(b.slice(0, -12)).toBe(a.slice(0, -12));
    expect(c.slice(0, -12)).toBe(`a-${(1_764_000_000_001).toString(36)}-`);
    expect(new Set([a, b, c]).size).toBe(3);
  });
});
