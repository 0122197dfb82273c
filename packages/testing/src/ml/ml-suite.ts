import { afterAll, beforeAll } from 'vitest';
import type { TemporaryStackOptions } from '../temporary-stack.js';
import { createMlStack, type MlStack } from './ml-stack.js';

/** The MlStack of a suite (usable inside its tests and hooks), and what to stop before it goes. */
export interface MlSuite extends MlStack {
  /** Stops `service` (a model server, ...) after all tests, before the stack is cleaned up. */
  stopAfterAll<T extends { stop(): Promise<void> }>(service: T): T;
}

/**
 * One ML stack for the tests of the calling `describe` (or file): created before the first test,
 * cleaned up after the last one, once the services handed to `stopAfterAll` are stopped. Call it at
 * suite level; its fields can be read only inside tests and hooks.
 */
export function useMlStack(options: TemporaryStackOptions = {}): MlSuite {
  let current: MlStack | undefined;
  const services: { stop(): Promise<void> }[] = [];
  beforeAll(async () => {
    current = await createMlStack(options);
  });
  afterAll(async () => {
    try {
      for (const service of services.reverse()) await service.stop();
    } finally {
      await current?.cleanup();
    }
  });
  const ml = (): MlStack => {
    if (!current) throw new Error('useMlStack(): the stack exists only inside tests and hooks');
    return current;
  };
  return {
    get stack() {
      return ml().stack;
    },
    get root() {
      return ml().root;
    },
    get databasePath() {
      return ml().databasePath;
    },
    get registry() {
      return ml().registry;
    },
    cleanup: () => ml().cleanup(),
    stopAfterAll(service) {
      services.push(service);
      return service;
    },
  };
}

/** POSTs `body` as JSON to `path` of a server (a model server) and parses the JSON answer. */
export async function postJson<T>(
  server: { readonly url: string },
  path: string,
  body: unknown,
): Promise<{ status: number; body: T }> {
  const res = await fetch(`${server.url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json()) as T };
}
