import { z } from 'zod';
import type { TransformState } from '../features/transform.js';
import type { HyperParameters, ModelJSON, Task } from './adapter.js';

/**
 * Everything needed to predict from raw rows, as one JSON document: the fitted transform, the
 * model, what input it expects and what it predicts. Batch inference and serving both use it.
 */
export interface TrainedModel {
  readonly format: 'strata.trained-model';
  readonly version: 1;
  /** The adapter kind, e.g. "random-forest". */
  readonly adapter: string;
  readonly task: Task;
  readonly label: string;
  /** Classification: the class names, index i is class i. */
  readonly classes?: string[];
  /** The raw columns the transform reads, with their types. */
  readonly inputSchema: { readonly name: string; readonly type: 'numeric' | 'categorical' | 'boolean' }[];
  readonly hyperParameters: HyperParameters;
  readonly transform: TransformState;
  readonly model: ModelJSON;
}

const task = z.enum(['classification', 'regression']);
const hyper = z.record(z.string(), z.union([z.number(), z.string(), z.boolean(), z.array(z.number())]));

const trainedModel = z
  .object({
    format: z.literal('strata.trained-model'),
    version: z.literal(1),
    adapter: z.string().min(1),
    task,
    label: z.string().min(1),
    classes: z.array(z.string()).optional(),
    inputSchema: z.array(z.object({ name: z.string(), type: z.enum(['numeric', 'categorical', 'boolean']) })),
    hyperParameters: hyper,
    transform: z.object({
      version: z.literal(1),
      label: z.string(),
      inputs: z.array(z.object({ name: z.string(), type: z.enum(['numeric', 'categorical', 'boolean']) })),
      columns: z.array(z.looseObject({ name: z.string(), kind: z.string() })),
      featureNames: z.array(z.string()),
    }),
    model: z.object({
      kind: z.string(),
      task,
      classes: z.array(z.string()).optional(),
      hyper,
      state: z.unknown(),
    }),
  })
  .refine((m) => m.model.kind === m.adapter, { message: 'model.kind must equal adapter' })
  .refine((m) => m.task !== 'classification' || (m.classes?.length ?? 0) > 0, {
    message: 'a classification model needs its classes',
  });

/** Check the shape of a stored trained model (for example read back from an artifact store). */
export function validateTrainedModel(value: unknown): TrainedModel {
  const result = trainedModel.safeParse(value);
  if (!result.success) {
    const problems = result.error.issues.map(
      (issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`,
    );
    throw new Error(`Invalid trained model: ${problems.join('; ')}`);
  }
  return result.data as TrainedModel;
}
