import { ContainerModule } from 'inversify';
import type { AnyFlavor } from './flavor.js';
import { FLAVOR } from './tokens.js';

/** What an integration package exports as `plugin`: its flavors, and the inversify module binding them. */
export interface StrataPlugin {
  readonly name: string;
  readonly flavors: readonly AnyFlavor[];
  readonly module: ContainerModule;
}

export function definePlugin(name: string, flavors: readonly AnyFlavor[]): StrataPlugin {
  const module = new ContainerModule(({ bind }) => {
    for (const flavor of flavors) bind<AnyFlavor>(FLAVOR).toConstantValue(flavor);
  });
  return { name, flavors, module };
}

export function isPlugin(value: unknown): value is StrataPlugin {
  return (
    typeof value === 'object' &&
    value !== null &&
    Array.isArray((value as StrataPlugin).flavors) &&
    'module' in value
  );
}
