import type { ServerLog } from './deps.js';

/** Lines on stderr: readable text, or one JSON object per line with `--json`. Never request headers. */
export function createLog(options: { json: boolean; write?: (line: string) => void }): ServerLog {
  const write = options.write ?? ((line: string) => process.stderr.write(`${line}\n`));
  const emit = (level: 'info' | 'error', message: string, fields: Record<string, unknown> = {}) => {
    if (options.json) write(JSON.stringify({ at: new Date().toISOString(), level, message, ...fields }));
    else {
      const rest = Object.entries(fields)
        .map(([k, v]) => `${k}=${typeof v === 'string' ? v : JSON.stringify(v)}`)
        .join(' ');
      write(`${level === 'error' ? 'error: ' : ''}${message}${rest ? ` ${rest}` : ''}`);
    }
  };
  return { info: (m, f) => emit('info', m, f), error: (m, f) => emit('error', m, f) };
}
