import { AsyncLocalStorage } from 'node:async_hooks';

/**
 * What a running step body's async context carries: the session its file reads are attributed to
 * (undeclared-reads.ts) and the one its printed output goes to (step-output.ts).
 */
export interface StepScope {
  readonly reads?: { readonly open: boolean };
  readonly output?: { readonly open: boolean };
}

/**
 * One AsyncLocalStorage for both, entered once around a body. On Node 20 every enabled storage is
 * copied onto each new promise and async resource of the process while it is enabled (its init hook),
 * and enabling one installs the promise hooks: two storages, each entered and toggled per step, cost
 * twice that on every step. The storage is disabled whenever no body is running (sessions open).
 */
const storage = new AsyncLocalStorage<StepScope>();
let open = 0;

/** The scope of the body whose async context this is, if any. */
export function currentStepScope(): StepScope | undefined {
  return storage.getStore();
}

/** Runs `body` in `scope` (every callback, promise and timer it starts inherits it). */
export function runInStepScope<T>(scope: StepScope, body: () => T): T {
  return storage.run(scope, body);
}

/** Counts a session begun; pair with `sessionEnded`. */
export function sessionBegun(): void {
  open++;
}

/** At the last open session's end the storage is disabled (no hooks while no body runs). */
export function sessionEnded(): void {
  if (--open === 0) storage.disable();
}
