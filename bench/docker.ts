/**
 * Docker orchestrator benchmark (see docs/benchmarks.md#docker-orchestrator):
 *   node --import tsx --import ./packages/project/hooks/source-conditions.mjs bench/docker.ts [--rounds N] [--image-mode]
 * The measuring code lives in integrations/docker/bench/docker-overhead.ts, where the workspace
 * packages it uses resolve.
 */
await import('../integrations/docker/bench/docker-overhead.js');
