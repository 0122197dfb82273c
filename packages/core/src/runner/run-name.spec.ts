import { describe, expect, it } from 'vitest';
import { renderRunName } from './run-name.js';

const vars = {
  pipeline: 'train',
  id: 'r-abc-0123456789',
  params: { trees: 50, target: 'species' },
  now: Date.UTC(2024, 2, 5, 7, 8, 9),
};

describe('renderRunName', () => {
  it('uses {pipeline}-{date}-{time}-{id} by default', () => {
    expect(renderRunName(undefined, vars)).toBe('train-2024-03-05-07-08-09-456789');
  });
  it('substitutes parameters and leaves unknown placeholders visible', () => {
    expect(renderRunName('{pipeline}/{params.target}/trees={params.trees}', vars)).toBe(
      'train/species/trees=50',
    );
    expect(renderRunName('{params.missing}-{nope}', vars)).toBe('{params.missing}-{nope}');
  });
});
