import { randomBytes } from 'node:crypto';
import type { JsonValue } from '@strata/core';
import { isStrataError } from '@strata/core';
import type { Context } from 'hono';
import { clientAddress } from './auth/client-address.js';
import type { AppEnv } from './http/app-type.js';
import { HttpError } from './http/errors.js';

/**
 * Runs a write action and records it in the audit log with who (token name and id), what, on what,
 * why, from where and how it ended, whether it succeeded or failed. The record is written even when
 * the action throws; the action's error is then rethrown unchanged.
 */
export async function audited<T>(
  c: Context<AppEnv>,
  entry: { action: string; target: string; reason: string; detail?: JsonValue },
  work: () => Promise<T>,
): Promise<T> {
  const deps = c.var.deps;
  const principal = c.var.principal;
  const record = async (outcome: string) => {
    const at = Date.now();
    await deps.store.audit.append({
      id: `${at.toString(36).padStart(9, '0')}-${randomBytes(4).toString('hex')}`,
      at,
      actor: principal.name,
      tokenId: principal.tokenId ?? null,
      action: entry.action,
      target: entry.target,
      reason: entry.reason,
      outcome,
      detail: entry.detail ?? null,
      remote: clientAddress(c, deps.trustProxy),
    });
    deps.log.info('write', { action: entry.action, target: entry.target, actor: principal.name, outcome });
  };
  let result: T;
  try {
    result = await work();
  } catch (error) {
    const code = error instanceof HttpError || isStrataError(error) ? error.code : 'internal_error';
    await record(code);
    throw error;
  }
  await record('ok');
  return result;
}
