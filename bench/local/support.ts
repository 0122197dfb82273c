import { createRequire } from 'node:module';
import os from 'node:os';
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import type {
  CompiledPipeline,
  PipelineDefinition,
  RunRecord,
  Stack,
} from '../../packages/core/src/index.js';
import { submitRun } from '../../packages/core/src/plugin.js';

export { createTemporaryStack } from '../../packages/testing/src/index.js';

// bench/ is not a package: take zod from core's dependencies.
const zodPath = createRequire(new URL('../../packages/core/package.json', import.meta.url)).resolve('zod');
export const { z } = (await import(
  pathToFileURL(zodPath).href
)) as typeof import('../../packages/core/node_modules/zod/index.js');

const sqlitePath = createRequire(new URL('../../packages/metadata/package.json', import.meta.url)).resolve(
  'better-sqlite3',
);
let sqlStatements = 0;

/**
 * Counts every SQLite statement executed in this process (BEGIN and COMMIT included) by wrapping
 * better-sqlite3's Statement methods; `sqlStatementCount()` reads the total.
 */
export async function countSqlStatements(): Promise<void> {
  const { default: Database } = (await import(pathToFileURL(sqlitePath).href)) as {
    default: new (path: string) => { prepare(sql: string): object; close(): void };
  };
  const probe = new Database(':memory:');
  const proto = Object.getPrototypeOf(probe.prepare('select 1')) as Record<string, unknown>;
  probe.close();
  if (proto.__strataCounted) return;
  proto.__strataCounted = true;
  for (const name of ['run', 'get', 'all', 'iterate']) {
    const original = proto[name] as (...args: unknown[]) => unknown;
    proto[name] = function (this: unknown, ...args: unknown[]) {
      sqlStatements++;
      return original.apply(this, args);
    };
  }
}

export function sqlStatementCount(): number {
  return sqlStatements;
}

export interface Timed<T> {
  readonly ms: number;
  /** CPU time of this process (all threads, user + system) while `work` ran: robust to a busy machine. */
  readonly cpuMs: number;
  readonly value: T;
}

export async function timed<T>(work: () => Promise<T> | T): Promise<Timed<T>> {
  const cpu = process.cpuUsage();
  const start = performance.now();
  const value = await work();
  const used = process.cpuUsage(cpu);
  return { ms: performance.now() - start, cpuMs: (used.user + used.system) / 1000, value };
}

/** The machine's load, printed with every table: figures from a loaded 2-core machine are inflated. */
export function machine(): string {
  const cpus = os.cpus();
  return `${cpus.length} x ${cpus[0]?.model ?? 'unknown CPU'}, ${Math.round(os.totalmem() / 2 ** 30)} GiB RAM, Node ${process.version}, load average ${os
    .loadavg()
    .map((l) => l.toFixed(1))
    .join(' ')}`;
}

/** Compiles, submits and waits; returns the compile time and the submit+execute time separately. */
export async function runOnce(
  definition: PipelineDefinition,
  stack: Stack,
  params: Record<string, unknown> = {},
): Promise<{ compileMs: number; runMs: number; totalMs: number; cpuMs: number; run: RunRecord }> {
  const compiled: Timed<CompiledPipeline> = await timed(() =>
    definition.compile(params, { projectRoot: stack.projectRoot }),
  );
  const executed = await timed(async () => (await submitRun(compiled.value, { stack })).wait());
  if (executed.value.status !== 'completed') {
    throw new Error(`benchmark run ${executed.value.id} ${executed.value.status}: ${executed.value.error}`);
  }
  return {
    compileMs: compiled.ms,
    runMs: executed.ms,
    totalMs: compiled.ms + executed.ms,
    cpuMs: compiled.cpuMs + executed.cpuMs,
    run: executed.value,
  };
}

export function fmt(n: number, digits = 2): string {
  return n.toFixed(digits);
}

/** Prints a markdown table (the form docs/benchmarks.md uses). */
export function table(header: readonly string[], rows: readonly (readonly (string | number)[])[]): void {
  console.log(`| ${header.join(' | ')} |`);
  console.log(`|${header.map(() => '---:').join('|')}|`);
  for (const row of rows) console.log(`| ${row.join(' | ')} |`);
}
