import type { Task } from './adapter.js';
import { AUTO_ADAPTER } from './choose-adapter.js';
import { modelKinds, modelTasks } from './registry.js';

/**
 * Why `adapter` cannot train `task`, or undefined when it can. The train step's params check this, so
 * a misspelt adapter fails the run before ingest rather than at train, minutes in on a big table.
 */
export function adapterProblem(adapter: string, task: Task): string | undefined {
  if (adapter === AUTO_ADAPTER) return undefined;
  const tasks = modelTasks(adapter);
  const doing = [AUTO_ADAPTER, ...modelKinds().filter((kind) => modelTasks(kind)?.includes(task))];
  const fix = `fix: use one of ${doing.join(', ')} (or add yours with registerModelAdapter)`;
  if (!tasks) return `adapter "${adapter}" is not a known model kind; ${fix}`;
  if (!tasks.includes(task)) return `adapter "${adapter}" does not do ${task}; ${fix}`;
  return undefined;
}
