import { describeDatabaseContract } from '../testing/database-contract.js';
import { sqliteTargets } from '../testing/targets.js';

describeDatabaseContract('SQLite (temp file)', sqliteTargets());
