import { errorCode, type SqlTraits } from '../sql-traits.js';

export const sqliteTraits: SqlTraits = {
  dialect: 'sqlite',
  rowLocks: false,
  isUniqueViolation: (error) => {
    const code = errorCode(error);
    return code === 'SQLITE_CONSTRAINT_PRIMARYKEY' || code === 'SQLITE_CONSTRAINT_UNIQUE';
  },
  isForeignKeyViolation: (error) => errorCode(error) === 'SQLITE_CONSTRAINT_FOREIGNKEY',
  isMissingTable: (error) => error instanceof Error && /^no such table/.test(error.message),
  // The migration transaction began with BEGIN IMMEDIATE: it already holds the database's write lock.
  lockForMigration: async () => {},
};
