// Step 3 of docs/plugins.md: the package entry exports `plugin` (what Strata loads) and the classes
// (so tests, such as the shared artifact-store contract suite, can use them directly).
export * from './flavor.js';
export { MirrorArtifactStore } from './mirror-artifact-store.js';
export { SequentialOrchestrator } from './sequential-orchestrator.js';
