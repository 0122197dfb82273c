import { describe, expect, it } from 'vitest';
import type { TrainedModel } from '../models/bundle.js';
import { BadRequest, parseFeedbackBody, parsePredictBody } from './request-body.js';

const bundle = {
  inputSchema: [
    { name: 'mass', type: 'numeric' },
    { name: 'island', type: 'categorical' },
    { name: 'tagged', type: 'boolean' },
  ],
} as TrainedModel;

function rejection(fn: () => unknown): { field: string; reason: string } {
  try {
    fn();
  } catch (error) {
    if (error instanceof BadRequest) return { field: error.field, reason: error.reason };
    throw error;
  }
  throw new Error('expected a BadRequest');
}

describe('request bodies', () => {
  it('accepts rows with numbers as numeric strings, nulls and unknown columns', () => {
    const rows = [{ mass: '4200', island: 'Dream', extra: 1 }, { mass: null }];
    expect(parsePredictBody({ rows }, bundle)).toBe(rows);
  });

  it('names the field and the reason of a bad predict body', () => {
    expect(rejection(() => parsePredictBody([], bundle))).toEqual({
      field: 'body',
      reason: 'must be a JSON object like {"rows": [{...}]}',
    });
    expect(rejection(() => parsePredictBody({ rows: [] }, bundle)).field).toBe('rows');
    expect(rejection(() => parsePredictBody({ rows: [{}, 3] }, bundle)).field).toBe('rows[1]');
    expect(rejection(() => parsePredictBody({ rows: [{ mass: 'heavy' }] }, bundle))).toEqual({
      field: 'rows[0].mass',
      reason: 'must be a number, got "heavy"',
    });
    expect(rejection(() => parsePredictBody({ rows: [{ tagged: 'yes' }] }, bundle)).field).toBe(
      'rows[0].tagged',
    );
    expect(rejection(() => parsePredictBody({ rows: [{ island: { a: 1 } }] }, bundle)).field).toBe(
      'rows[0].island',
    );
  });

  it('checks feedback items against the task', () => {
    expect(parseFeedbackBody({ feedback: [{ id: 'a', actual: 'Adelie' }] }, 'classification')).toEqual([
      { id: 'a', actual: 'Adelie' },
    ]);
    expect(
      rejection(() => parseFeedbackBody({ feedback: [{ id: 'a', actual: 'x' }] }, 'regression')),
    ).toEqual({
      field: 'feedback[0].actual',
      reason: 'must be the true value (a number)',
    });
    expect(rejection(() => parseFeedbackBody({ feedback: [{ actual: 1 }] }, 'regression')).field).toBe(
      'feedback[0].id',
    );
  });
});
