/**
 * Temporal orchestrator benchmark (see docs/benchmarks.md#temporal-orchestrator), on the dev server
 * at STRATA_TEST_TEMPORAL_ADDRESS (`bash scripts/services/all.sh temporal && source .services/env`):
 *   node --import tsx --import ./packages/project/hooks/source-conditions.mjs bench/temporal.ts [--length 30] [--rounds 3] [--items 600]
 * The measuring code lives in integrations/temporal/bench/temporal-overhead.ts, where the workspace
 * packages it uses resolve. Where a step's time goes (queue, execute, workflow task), read from
 * Temporal's event history of one raw and one Strata chain:
 *   node --import tsx --import ./packages/project/hooks/source-conditions.mjs integrations/temporal/bench/history-breakdown.ts [--length 30] [--rounds 3]
 */
await import('../integrations/temporal/bench/temporal-overhead.js');
