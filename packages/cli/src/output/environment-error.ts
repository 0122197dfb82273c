/**
 * Faults of the machine rather than of Strata: a port in use, a missing folder, a full disk, a locked
 * or damaged database. They exit 2 (the environment is wrong) with the path or port and a fix, never
 * 3 ("a bug in Strata") with a stack trace.
 */
export interface EnvironmentFault {
  readonly message: string;
  readonly fix: string;
}

interface SystemError {
  readonly code?: unknown;
  readonly syscall?: unknown;
  readonly path?: unknown;
  readonly dest?: unknown;
  readonly port?: unknown;
  readonly address?: unknown;
  readonly message?: unknown;
}

const files: Record<string, (where: string) => EnvironmentFault> = {
  ENOENT: (where) => ({
    message: `${where} does not exist`,
    fix: 'create the folder first, or check the path',
  }),
  ENOTDIR: (where) => ({
    message: `a part of ${where} is a file, not a folder`,
    fix: 'move the file out of the way, or choose another path',
  }),
  EISDIR: (where) => ({ message: `${where} is a folder, not a file`, fix: 'give a file path' }),
  EEXIST: (where) => ({
    message: `${where} already exists`,
    fix: 'move it out of the way, or choose another path',
  }),
  EACCES: (where) => ({
    message: `permission denied on ${where}`,
    fix: 'check the owner and mode of the path (ls -l), or choose another path',
  }),
  EPERM: (where) => ({
    message: `operation not permitted on ${where}`,
    fix: 'check the owner and mode of the path (ls -l), or choose another path',
  }),
  EROFS: (where) => ({ message: `${where} is on a read-only file system`, fix: 'choose a writable path' }),
  ENOSPC: (where) => ({
    message: `no space left on the device holding ${where}`,
    fix: 'free disk space (df -h shows what is full), then try again',
  }),
  EDQUOT: (where) => ({
    message: `disk quota exceeded writing ${where}`,
    fix: 'free space within your quota',
  }),
  ENAMETOOLONG: (where) => ({
    message: `the path ${where.length > 120 ? `${where.slice(0, 100)}…` : where} is too long`,
    fix: 'use a shorter name (most file systems allow 255 bytes per name)',
  }),
  EMFILE: () => ({
    message: 'too many open files',
    fix: 'raise the limit (ulimit -n) or run fewer steps at once',
  }),
};

const sqlite: Record<string, EnvironmentFault> = {
  SQLITE_BUSY: {
    message: 'the metadata database is locked by another process and stayed locked beyond the wait limit',
    fix: 'wait for the other Strata process to finish (ps aux | grep strata), or stop it; STRATA_DB_BUSY_TIMEOUT_MS sets how long to wait',
  },
  SQLITE_FULL: {
    message: 'the metadata database cannot grow: the disk is full',
    fix: 'free disk space (df -h shows what is full), then run the command again',
  },
  SQLITE_CORRUPT: {
    message: 'the metadata database is damaged',
    fix: 'restore .strata/strata.db from a backup or an export (`strata import`)',
  },
  SQLITE_NOTADB: {
    message: 'the metadata database file is not a SQLite database',
    fix: 'restore .strata/strata.db from a backup, or point STRATA_DATABASE_URL at the right file',
  },
  SQLITE_READONLY: {
    message: 'the metadata database is read-only',
    fix: 'check the permissions of .strata/ and .strata/strata.db',
  },
  SQLITE_CANTOPEN: {
    message: 'the metadata database cannot be opened',
    fix: 'check that .strata/ exists and is writable',
  },
  SQLITE_IOERR: {
    message: 'the metadata database could not be read or written (I/O error)',
    fix: 'check the disk (dmesg, df -h), then run the command again',
  },
};

export function environmentError(error: unknown): EnvironmentFault | undefined {
  if (!error || typeof error !== 'object') return undefined;
  const e = error as SystemError;
  if (typeof e.code !== 'string') return undefined;
  if (e.code === 'EADDRINUSE' || e.code === 'EADDRNOTAVAIL') {
    const where = e.port === undefined ? 'the address' : `${String(e.address ?? '')}:${String(e.port)}`;
    return e.code === 'EADDRINUSE'
      ? {
          message: `port ${where} is already in use`,
          fix: 'stop what listens there, or choose another --port',
        }
      : { message: `cannot listen on ${where}: no such local address`, fix: 'choose another --host' };
  }
  const sqliteFault = sqlite[e.code.replace(/_[A-Z]+$/, '')] ?? sqlite[e.code];
  if (e.code.startsWith('SQLITE_') && sqliteFault) return sqliteFault;
  if (e.code === 'EEXIST' && e.syscall === 'mkdir' && typeof e.path === 'string') {
    return {
      message: `${e.path} exists but is not a folder`,
      fix: 'move the file out of the way (Strata needs a folder there)',
    };
  }
  const file = files[e.code];
  if (file && typeof e.syscall === 'string') {
    const where = typeof e.path === 'string' ? e.path : 'a file';
    const fault = file(where);
    return { message: `${fault.message} (${e.syscall})`, fix: fault.fix };
  }
  return undefined;
}
