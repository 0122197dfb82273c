/**
 * `@strata/core/plugin`: the contracts and helpers for flavor authors (orchestrators, artifact
 * stores, model registries, ...) and for the packages that host them (project, metadata, cli). Pipeline
 * authors import `@strata/core`. A deliberate list: what is not here is internal to core.
 */

export { alertRunEnd, RUN_ALERTED_KEY } from './alerter/run-alerts.js';
// Artifact stores
export type { ArtifactStore, ObjectInfo, PutOptions } from './artifact-store/artifact-store.js';
export { blobKey, readBlob, type StoredBlob, writeBlob } from './artifact-store/content-addressed.js';
export { normalizeObjectPrefix, prefixedObjectName } from './artifact-store/object-keys.js';
export { givenTogether, objectStoreRetryConfig } from './artifact-store/object-store-config.js';
export {
  type ObjectStoreFailure,
  type ObjectStoreOperation,
  type ObjectStoreRequest,
  objectStoreError,
} from './artifact-store/object-store-errors.js';
export {
  type HttpGetOptions,
  type HttpGetRequest,
  type HttpGetResponse,
  httpGet,
  UnframedResponse,
} from './artifact-store/object-store-http-get.js';
export {
  type Backoff,
  backoffDelay,
  isRetriableNetworkError,
  isRetriableStatus,
  objectStoreBackoff,
} from './artifact-store/object-store-retry.js';
export { blobMissing, QUARANTINE_PREFIX, quarantineBlob, storedDigest } from './artifact-store/quarantine.js';
export { verifySha256 } from './artifact-store/verified-read.js';
// Turning zod issues into one StrataError that names every problem
export {
  type ParseContext,
  type ParseProblem,
  parseError,
  parseOrThrow,
  problemsOf,
} from './errors/parse-or-throw.js';
// Experiment tracking around a run (the tracker component's calls, recorded on the run)
export * from './experiment-tracker/tracking.js';
// Liveness: who owns a running run, and settling runs whose owner is gone
export * from './liveness/heartbeat.js';
export * from './liveness/judge-owner.js';
export { type LastWord, timedOutPatch } from './liveness/last-words.js';
export * from './liveness/owner.js';
export * from './liveness/owner-prober.js';
export * from './liveness/reconcile.js';
// Materializers
export type { ArtifactSummary, EncodedValue, Materializer } from './materializers/materializer.js';
export { builtinMaterializers, MaterializerRegistry } from './materializers/registry.js';
// The metadata store's contract (implemented by @strata/metadata)
export type { ComponentRecord, ComponentStore, StackRecord } from './metadata/component-store.js';
export type * from './metadata/liveness-store.js';
export type {
  ArtifactLineage,
  ArtifactQuery,
  CachedStep,
  MetadataStore,
  PreviousRunSteps,
  RunPatch,
  RunQuery,
  StepCompletion,
  StepRunPatch,
  StepRunStatus,
  StepStatusesSince,
} from './metadata/metadata-store.js';
export type {
  AliasChange,
  ModelRecord,
  ModelRegistryStore,
  ModelVersionRecord,
} from './metadata/model-registry-store.js';
export { checkName, NAME_MAX_LENGTH, quoteList } from './metadata/names.js';
export { activeStatuses, finishedRunStatuses, finishedStepStatuses } from './metadata/records.js';
export type * from './metadata/source-digest-store.js';
export type { StrataDatabase } from './metadata/strata-database.js';
// Schedules and triggers: stored once, fired by the orchestrator or `strata agent`
export type { TriggerQuery, TriggerStamp, TriggerStore } from './metadata/trigger-store.js';
export { rollbackTarget } from './model-registry/model-registry.js';
// Orchestrators: where and when steps run; the StepRunner decides how
export type { ExecuteResult, Orchestrator, SubmittedRun } from './orchestrator/orchestrator.js';
export type { PipelineSchedules, ScheduleRequest, ScheduleRow } from './orchestrator/schedules.js';
// The closest known name to a likely typo (unknown parameters, an unknown upstream pipeline)
export { didYouMean } from './params/did-you-mean.js';
export { withParamDeclared } from './params/known-params.js';
export {
  dependenciesOf,
  type InputBinding,
  type OutputSpec,
  type Snapshot,
  type SnapshotNode,
  type StepOverride,
  type StepOverrides,
} from './pipeline/snapshot.js';
export {
  type ArtifactIO,
  loadArtifact,
  quarantineOnIntegrityError,
  saveArtifact,
} from './runner/artifact-io.js';
export { type BlockedStepRecorder, setBlockedStepRecorder } from './runner/blocked-loop-watchdog.js';
// Documents stored as JSON, versioned and parsed when read back (metadata stores use these)
export type { CacheParts, SourcePart } from './runner/cache-key.js';
export { itemEventName, newRunId } from './runner/ids.js';
export { inlineBytes, inlineUri, isInline } from './runner/inline-artifact.js';
// Source fingerprints and output checks
export * from './runner/output-check.js';
export {
  importPipeline,
  loadCompiledPipeline,
  loadRunForExecution,
  loadRunSnapshot,
  type ModuleUrl,
  type RunForExecution,
  readRunSnapshot,
} from './runner/run-for-execution.js';
export { driveRun, type RunLoopOptions, recordRunEnd, type StepDispatch } from './runner/run-loop.js';
export { type StepExit, settleStepFromRow } from './runner/settle-step.js';
export {
  cancelRun,
  runStepEntry,
  type StepEntryArgs,
  type StepEntryOptions,
  stepEntryArgs,
} from './runner/step-entry.js';
export {
  pendingStepRun,
  type StepOutcome,
  StepRunner,
  type StepRunnerDeps,
  type StepTask,
} from './runner/step-runner.js';
export {
  type StepRunnerFactory,
  type StepRunnerOptions,
  type StepRunnerParts,
  stepRunnerFactory,
  stepRunnerModule,
} from './runner/step-runner-factory.js';
export { recordSkippedSteps, type SkippedStep } from './runner/step-sweeps.js';
export { recordRun, type SubmitOptions, submitRun } from './runner/submit.js';
export { ReadWatcher, watchUndeclaredReads } from './runner/undeclared-reads.js';
export * from './source/fingerprint-sources.js';
export { globToRegExp } from './source/glob.js';
export { httpFingerprinter } from './source/http-fingerprint.js';
export * from './source/listing-fingerprint.js';
export { fileDigest, localFingerprinter, localPath, MemoryDigestMemo } from './source/local-fingerprint.js';
export {
  pinnedListing,
  type SourceObject,
  type SourceReader,
  sourceChanged,
  sourceUnreachable,
} from './source/source-reader.js';
export { StoredDigestMemo } from './source/stored-digest-memo.js';
// Declaring flavors and plugins; stacks and their components
export {
  type AnyFlavor,
  type ComponentType,
  defineFlavor,
  type Flavor,
  type FlavorContext,
  type FlavorFactory,
  isSecretField,
  requiredComponentTypes,
  type StackDraft,
  secret,
} from './stack/flavor.js';
export { definePlugin, isPlugin, type StrataPlugin } from './stack/plugin.js';
export { type ComponentDescription, type Stack, stackComponent } from './stack/stack.js';
export { resolveStack, type StackResolver, setStackResolver } from './stack/stack-resolver.js';
export {
  ARTIFACT_STORE,
  COMPONENTS,
  type ComponentKey,
  type ComponentToken,
  componentToken,
  DATABASE,
  FLAVOR,
  MATERIALIZER,
  MATERIALIZERS,
  ORCHESTRATOR,
  SOURCE_FINGERPRINTER,
  SOURCE_READER,
  SOURCES,
  STEP_RUNNER_FACTORY,
} from './stack/tokens.js';
export { isValidRange, satisfies } from './stack/version-range.js';
export { forgetModules, moduleCodeIdentity } from './step/module-identity.js';
export { parseCacheParts, storeCacheParts } from './stored/cache-parts.js';
export { parseSnapshotBody, storeSnapshotBody } from './stored/snapshot-body.js';
export * from './triggers/calendar.js';
export * from './triggers/due-slots.js';
export * from './triggers/live-drift.js';
export * from './triggers/live-quality.js';
export * from './triggers/trigger-due.js';
export type * from './triggers/trigger-records.js';
export * from './triggers/trigger-spec.js';
// The container a host builds a stack in: the same inversify copy as the plugins' modules (bundled).
export { Container } from './vendor/inversify.js';
