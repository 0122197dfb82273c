/**
 * `@strata/core`: what pipeline authors and readers of results use. Flavor authors (orchestrators,
 * artifact stores, registries) import `@strata/core/plugin`; everything else in this package is
 * internal and may change without notice. A deliberate list, so a new internal export is a choice.
 */

// Schemas for params and configs: the zod Strata itself uses. A pipeline file that imports 'zod'
// directly gets a second copy, which Node 20 loads as an ES module file by file (~70 ms of every
// `strata run` on the quickstart); this one is already loaded.
export { z } from 'zod';
// Components a step reaches through `context.component()`
export * from './alerter/alerter.js';
// Steps and pipelines
export {
  type ArtifactKind,
  type ArtifactType,
  type FileRef,
  t,
  type ValueOf,
} from './artifact-type/artifact-type.js';
// Reading runs, steps, artifacts and models back
export type {
  ArtifactView,
  DownstreamEdge,
  Lineage,
  UpstreamNode,
} from './client/artifact-view.js';
export {
  CacheExplainer,
  type CacheExplanation,
  type ComparedExecution,
} from './client/cache-explain.js';
export { Client, type PipelineView } from './client/client.js';
export { type DataSourceVersion, dataSourcesOf } from './client/data-sources.js';
export type { OutputView, RunView, StepView } from './client/run-view.js';
export type { ClientSources } from './client/sources.js';
export { Deployer, type Deployment, type DeploymentSpec } from './deployer/deployer.js';
// Errors
export { type ErrorCode, errorCodes, isErrorCode } from './errors/codes.js';
export {
  CompileError,
  IntegrityError,
  isStrataError,
  StrataError,
  type StrataErrorDetails,
} from './errors/strata-error.js';
export type * from './experiment-tracker/experiment-tracker.js';
export { ExperimentTracker } from './experiment-tracker/experiment-tracker.js';
export type {
  ArtifactRecord,
  EventRecord,
  EventType,
  JsonValue,
  LogLevel,
  LogLine,
  MetadataEntry,
  MetadataOwner,
  RunRecord,
  RunStatus,
  SnapshotRecord,
  StepRunRecord,
  StepStatus,
} from './metadata/records.js';
export {
  type AliasMove,
  DEFAULT_ALIAS,
  type ModelRef,
  ModelRegistry,
  type ModelSummary,
  parseModelRef,
  type RegisterModelInput,
} from './model-registry/model-registry.js';
export {
  checkAliasName,
  type GatedMove,
  type GatedPromotion,
  type GateVerdict,
  gateVerdict,
  type PromotionOptions,
  promoteGated,
  versionList,
} from './model-registry/promotion.js';
export { type StepCallOptions, when } from './pipeline/compile-scope.js';
export type { OutputRef, RefsOf } from './pipeline/output-ref.js';
export {
  type CompiledPipeline,
  type CompileOptions,
  isPipeline,
  type PipelineDefinition,
  type PipelineParams,
  type PipelineSpec,
  pipeline,
} from './pipeline/pipeline.js';
/** What a step run's `cacheParts` holds: the named parts its cache key was hashed from. */
export type { CacheParts, SourcePart } from './runner/cache-key.js';
export { stepRunId } from './runner/ids.js';
// Running a pipeline from code
export type { RunHandle } from './runner/run-handle.js';
export { type RunOptions, resumeRun, runPipeline } from './runner/run-pipeline.js';
// External data as sources (the cache and lineage see them)
export { isSource, type Source, type SourceOptions, source } from './source/source.js';
export type { SourceObject } from './source/source-reader.js';
export * from './source/source-spec.js';
export type * from './source/source-value.js';
export { type ComponentKey, type ComponentToken, componentToken } from './stack/component-token.js';
export type { ComponentDescription, Stack } from './stack/stack.js';
export type { CodeIdentity } from './step/module-identity.js';
export {
  type ArtifactTypes,
  type ParamsSchema,
  type StepCallInputs,
  type StepDefinition,
  type StepHooks,
  type StepSpec,
  step,
  type ValuesOf,
} from './step/step.js';
export type { StepContext, StepLogger } from './step/step-context.js';
export type { CachePolicy, RetryPolicy, StepSettings } from './step/step-options.js';
export { STRATA_VERSION } from './version.js';
