import { StrataError } from '@strata/core';
import type { StrataDatabase } from '@strata/core/plugin';
import { SqlStrataDatabase } from '../strata-database.js';
import { ApiTokensRepository } from './api-tokens.js';
import { AuditLogRepository } from './audit-log.js';
import { ChangesRepository } from './changes.js';

/** Wakes a listener when the change feed may have grown (PostgreSQL NOTIFY); undefined on SQLite. */
export type ChangeListener = (onChange: () => void) => Promise<() => Promise<void>>;

/** The API server's own tables: tokens, audit log, and the change feed behind live events. */
export interface ServerStore {
  readonly tokens: ApiTokensRepository;
  readonly audit: AuditLogRepository;
  readonly changes: ChangesRepository;
  readonly listen: ChangeListener | undefined;
}

export function serverStoreOf(database: StrataDatabase): ServerStore {
  if (!(database instanceof SqlStrataDatabase)) {
    throw new StrataError('the server needs a metadata store opened by @strata/metadata', {
      code: 'unsupported_database',
      field: 'database',
      value: database.url,
      fix: 'open the project with openProject() (SQLite or PostgreSQL)',
    });
  }
  const ctx = database.context;
  return {
    tokens: new ApiTokensRepository(ctx),
    audit: new AuditLogRepository(ctx),
    changes: new ChangesRepository(ctx),
    listen: database.listenForChanges,
  };
}
