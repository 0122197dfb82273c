// Section 2 of docs/plugins.md: the package entry exports `plugin` (what Strata loads) and the flavor
// declarations. The classes are exported as types only: a value export would import the
// implementations (and their SDKs) whenever Strata loads the plugin, e.g. for `flavor list`.
// Tests import the classes from their own files.
export * from './flavor.js';
export type { JsonFileModelRegistry } from './json-file-model-registry.js';
export type { JsonlExperimentTracker } from './jsonl-experiment-tracker.js';
export type { MarkdownAlerter } from './markdown-alerter.js';
export type { MirrorArtifactStore } from './mirror-artifact-store.js';
export type { SequentialOrchestrator } from './sequential-orchestrator.js';
