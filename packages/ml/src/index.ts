// @strata/ml: framework-independent data, feature, model and evaluation functions. Every result is
// plain JSON so it can be stored as an artifact; pipeline steps wrap these elsewhere.

export type { CsvField, CsvOptions } from './data/csv.js';
export { parseCsv, parseCsvRecords } from './data/csv.js';
export type { DriftOptions, DriftResult, FeatureDrift, KsResult } from './data/drift.js';
export { detectDrift, detectDriftFromProfiles, ksTwoSample, psiFromCounts } from './data/drift.js';
export { canonicalJson, sha256Hex } from './data/hash.js';
export type { DataFormat, IngestOptions, IngestResult, Span } from './data/ingest.js';
export { formatOf, hasDataExtension, parseRows, readDataset } from './data/ingest.js';
export { parquetMaterializer } from './data/parquet-materializer.js';
export type { ColumnProfile, ProfileOptions } from './data/profile.js';
export { DatasetProfile } from './data/profile.js';
export type { DataLocation } from './data/read/data-error.js';
export { DataFormatError } from './data/read/data-error.js';
export type { DataFile } from './data/read/data-file.js';
export { localFile } from './data/read/data-file.js';
export type { ObjectFilesOptions } from './data/read/object-files/index.js';
export { isObjectUri, objectFiles } from './data/read/object-files/index.js';
export { writeParquet } from './data/read/parquet-write.js';
export type { ReadInfo, ReadOptions } from './data/read/read-batches.js';
export { readBatches } from './data/read/read-batches.js';
export type { DatasetSchema, FeatureSchema, InferSchemaOptions } from './data/schema.js';
export { inferSchema, schemaFeature, validateSchema } from './data/schema.js';
export type { SplitOptions, SplitResult } from './data/split.js';
export { splitBatches, splitByHash } from './data/split.js';
export type {
  BooleanStatistics,
  CategoricalStatistics,
  DatasetStatistics,
  FeatureStatistics,
  Histogram,
  NumericStatistics,
  Quantiles,
  StatisticsOptions,
} from './data/statistics.js';
export {
  computeStatistics,
  computeStatisticsFromBatches,
  SKETCH_ERROR,
  statisticsOfProfile,
} from './data/statistics.js';
export type { Cell, ColumnType, Dataset, Row } from './data/table.js';
export {
  columnNames,
  columnType,
  columnTypes,
  columnValues,
  numericValues,
  rowsOf,
  selectRows,
  tableFromRows,
  toRows,
  toTable,
} from './data/table.js';
export type { Anomaly, AnomalyKind, ValidateOptions, ValidationResult } from './data/validate.js';
export { validateBatches, validateDataset } from './data/validate.js';
export type {
  ClassificationMetrics,
  ClassificationOptions,
  ClassMetrics,
} from './evaluate/classification.js';
export { binaryAuc, classificationMetrics } from './evaluate/classification.js';
export type { EvaluateOptions, ModelEvaluation } from './evaluate/evaluate-model.js';
export { evaluateModel } from './evaluate/evaluate-model.js';
export type { GateDecision, GateEvaluation, GateOptions, SliceRegression } from './evaluate/gate.js';
export { decide } from './evaluate/gate.js';
export type { RegressionMetrics } from './evaluate/regression.js';
export { regressionMetrics } from './evaluate/regression.js';
export type { SliceEvaluation, SliceOptions } from './evaluate/slices.js';
export { MISSING_SLICE, sliceMetrics } from './evaluate/slices.js';
export type { FeatureMatrix, FittedColumn, NumericScale, TransformState } from './features/transform.js';
export { applyTransform, fitTransform } from './features/transform.js';
export { transformToMatrix } from './features/transform-matrix.js';
export type { ColumnTransformSpec, DefaultSpecOptions, TransformSpec } from './features/transform-spec.js';
export {
  DEFAULT_MAX_CATEGORIES,
  defaultTransformSpec,
  validateTransformSpec,
} from './features/transform-spec.js';
export type {
  HyperParameters,
  HyperValue,
  ModelAdapter,
  ModelAdapterFactory,
  ModelJSON,
  Target,
  Task,
} from './models/adapter.js';
export type { TrainedModel } from './models/bundle.js';
export { validateTrainedModel } from './models/bundle.js';
export { denseNetwork } from './models/dense-network.js';
export type { DenseMatrix } from './models/gbdt/matrix.js';
export { GradientBoostingAdapter, gradientBoosting } from './models/gradient-boosting.js';
export { logisticRegression } from './models/logistic-regression.js';
export type { Predictions } from './models/predict.js';
export { predictRows, releaseModel } from './models/predict.js';
export { predictBatch } from './models/predict-batch.js';
export { randomForest } from './models/random-forest.js';
export { createModel, loadModel, modelKinds, registerModelAdapter } from './models/registry.js';
export type { TrainModelOptions } from './models/train.js';
export { trainModel } from './models/train.js';
export type { LoadedModelVersion } from './registry/load-model-version.js';
export { loadModelVersion } from './registry/load-model-version.js';
export * from './serving/index.js';
export * as steps from './steps/index.js';
