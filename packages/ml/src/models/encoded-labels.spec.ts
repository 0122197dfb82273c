import { Float64, Utf8, vectorFromArray } from 'apache-arrow';
import { describe, expect, it } from 'vitest';
import { classListOf, encodeLabels } from './classes.js';
import { encodeLabelVector } from './encoded-labels.js';

describe('encodeLabelVector', () => {
  it('gives the classes and indices of classListOf/encodeLabels, leaving null labels out, in shared memory', () => {
    const labels = ['Gentoo', null, 'Adelie', 'Chinstrap', 'Adelie', null, 'Gentoo'];
    const encoded = encodeLabelVector(vectorFromArray(labels, new Utf8()), 'classification');
    const present = labels.filter((l): l is string => l !== null);
    expect(encoded).toMatchObject({ kind: 'classes', classes: classListOf(present) });
    if (encoded.kind !== 'classes') throw new Error('expected classes');
    expect(Array.from(encoded.codes)).toEqual(encodeLabels(present, classListOf(present)));
    expect(encoded.codes.buffer).toBeInstanceOf(SharedArrayBuffer);
  });

  it('encodes numeric classes by their text and regression targets as numbers', () => {
    const numbers = vectorFromArray([3, 1, null, 3], new Float64());
    expect(encodeLabelVector(numbers, 'classification')).toMatchObject({ classes: ['1', '3'] });
    const regression = encodeLabelVector(numbers, 'regression');
    expect(regression.kind === 'values' && Array.from(regression.values)).toEqual([3, 1, 3]);
  });
});
