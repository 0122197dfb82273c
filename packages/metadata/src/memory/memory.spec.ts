import { describeMemoryDatabaseContract } from '../testing/database-contract.js';

// Core's in-memory StrataDatabase (what core's unit tests run on) against the contract SQLite and
// PostgreSQL pass.
describeMemoryDatabaseContract();
