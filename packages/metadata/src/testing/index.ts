export { type ContractContext, expectStrataError } from './contract/context.js';
export { describeDatabaseContract, describeMemoryDatabaseContract } from './database-contract.js';
export { artifactRecord, componentRecord, runRecord, stepRunRecord } from './fixtures.js';
export { type PostgresTestEnv, postgresTestEnv } from './postgres-env.js';
export {
  type DatabaseTarget,
  type PostgresTargets,
  postgresTargets,
  sqliteTargets,
  type TargetFactory,
} from './targets.js';
