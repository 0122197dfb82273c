import { StrataError } from '@strata/core';
import { type AnyFlavor, Container, FLAVOR } from '@strata/core/plugin';
import { type BuildStackInput, draftStack } from './build-stack.js';

/**
 * Builds ONE component of a stack (e.g. its model_registry for `strata models ...`) without building
 * the rest: reading the registry must not connect to the stack's Temporal cluster or object store.
 * The config is validated and secret references are filled in exactly as for a whole stack.
 */
export async function buildStackComponent<T>(input: BuildStackInput, type: string): Promise<T> {
  const container = new Container();
  container.load(...input.plugins.map((p) => p.module));
  const draft = await draftStack(input, container.getAll<AnyFlavor>(FLAVOR));
  const chosen = draft.components[type];
  const record = await input.database.getStack(input.name);
  const name = record?.components[type];
  if (!chosen || name === undefined) {
    const flag = `--${type.replace(/_/g, '-')}`;
    throw new StrataError(`stack "${input.name}" has no ${type}`, {
      code: 'missing_component',
      field: type,
      value: input.name,
      fix: `add one: strata stack update ${input.name} ${flag} NAME (the local one: strata stack update ${input.name} ${flag} default), or pick another stack with --stack`,
    });
  }
  const built = new Map<string, Promise<unknown>>();
  const instance = (wanted: string): Promise<unknown> => {
    const component = draft.components[wanted];
    const componentName = record?.components[wanted];
    if (!component || componentName === undefined) return Promise.resolve(undefined);
    let promise = built.get(wanted);
    if (!promise) {
      promise = (async () => {
        const factory = await component.flavor.load();
        const resolved = await input.secrets.resolve(component.config, `${wanted}.${componentName}`);
        return factory(resolved, {
          projectRoot: input.root,
          componentName,
          database: input.database,
          component: <C>(other: string) => instance(other) as Promise<C | undefined>,
        });
      })();
      built.set(wanted, promise);
    }
    return promise;
  };
  return (await instance(type)) as T;
}
