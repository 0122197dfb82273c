import type { Row } from '../data/table.js';
import type { Target } from '../models/adapter.js';
import type { TrainedModel } from '../models/bundle.js';

/** A rejected request body: answered with 400 and `{ error, field, reason }`. */
export class BadRequest extends Error {
  constructor(
    readonly field: string,
    readonly reason: string,
  ) {
    super(`${field}: ${reason}`);
    this.name = 'BadRequest';
  }
}

export const MAX_ROWS = 10_000;

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new BadRequest('body', `is not valid JSON (${(error as Error).message})`);
  }
}

/**
 * `{ "rows": [ { column: value, … }, … ] }`: each row an object whose known columns have the type the
 * model's input schema says (numbers may come as numeric strings; null or absent means missing and is
 * imputed). Unknown columns are ignored, as at training time.
 */
export function parsePredictBody(body: unknown, bundle: TrainedModel): Row[] {
  if (!isObject(body)) throw new BadRequest('body', 'must be a JSON object like {"rows": [{...}]}');
  const rows = body.rows;
  if (!Array.isArray(rows)) throw new BadRequest('rows', 'must be an array of row objects');
  if (rows.length === 0) throw new BadRequest('rows', 'must contain at least one row');
  if (rows.length > MAX_ROWS) throw new BadRequest('rows', `has ${rows.length} rows; at most ${MAX_ROWS}`);
  rows.forEach((row, index) => {
    if (!isObject(row)) throw new BadRequest(`rows[${index}]`, 'must be an object of column values');
    for (const { name, type } of bundle.inputSchema) {
      const value = row[name];
      if (value === undefined || value === null) continue;
      const field = `rows[${index}].${name}`;
      if (type === 'numeric') {
        const n = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
        if (typeof n !== 'number' || !Number.isFinite(n))
          throw new BadRequest(field, `must be a number, got ${JSON.stringify(value)}`);
      } else if (type === 'boolean') {
        if (typeof value !== 'boolean')
          throw new BadRequest(field, `must be true or false, got ${JSON.stringify(value)}`);
      } else if (typeof value !== 'string' && typeof value !== 'number' && typeof value !== 'boolean') {
        throw new BadRequest(field, `must be a category (string), got ${JSON.stringify(value)}`);
      }
    }
  });
  return rows as Row[];
}

export interface FeedbackItem {
  readonly id: string;
  readonly actual: Target;
}

/** `{ "feedback": [ { "id": "<prediction id>", "actual": <true label or value> }, … ] }`. */
export function parseFeedbackBody(body: unknown, task: TrainedModel['task']): FeedbackItem[] {
  if (!isObject(body))
    throw new BadRequest('body', 'must be a JSON object like {"feedback": [{"id", "actual"}]}');
  const items = body.feedback;
  if (!Array.isArray(items) || items.length === 0)
    throw new BadRequest('feedback', 'must be a non-empty array of {"id", "actual"}');
  return items.map((item, index) => {
    if (!isObject(item)) throw new BadRequest(`feedback[${index}]`, 'must be an object {"id", "actual"}');
    if (typeof item.id !== 'string' || item.id === '')
      throw new BadRequest(`feedback[${index}].id`, 'must be the id of an earlier prediction');
    const actual = item.actual;
    if (
      task === 'regression'
        ? typeof actual !== 'number' || !Number.isFinite(actual)
        : typeof actual !== 'string'
    )
      throw new BadRequest(
        `feedback[${index}].actual`,
        task === 'regression' ? 'must be the true value (a number)' : 'must be the true class (a string)',
      );
    return { id: item.id, actual: actual as Target };
  });
}
