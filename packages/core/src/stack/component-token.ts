import type { ComponentType } from './flavor.js';

/**
 * A typed handle on one component type of a stack: `context.component(ModelRegistry)` returns a
 * `ModelRegistry`, and the stack's inversify container binds that component under `id`. A plugin that
 * adds its own component type exports its own token: `componentToken<Notifier>('notifier')`.
 */
export interface ComponentToken<T> {
  readonly type: ComponentType;
  /** The inversify service identifier the stack's container binds the component to. */
  readonly id: symbol;
  /** Carries `T` for type inference only; never set. */
  readonly __component?: T;
}

export function componentToken<T = unknown>(type: ComponentType): ComponentToken<T> {
  return { type, id: Symbol.for(`strata.component.${type}`) };
}

/** A component token, or the component type's name (`'model_registry'`): both forms are accepted. */
export type ComponentKey<T> = ComponentToken<T> | ComponentType;

export function componentTypeOf(key: ComponentKey<unknown>): ComponentType {
  return typeof key === 'string' ? key : key.type;
}
