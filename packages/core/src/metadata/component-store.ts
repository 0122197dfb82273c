import type { JsonValue } from './records.js';

export interface ComponentRecord {
  readonly type: string;
  readonly name: string;
  readonly flavor: string;
  /** Validated config; secret values are `{{secret.NAME.KEY}}` references, never the values. */
  readonly config: JsonValue;
  readonly createdAt: number;
  readonly updatedAt: number;
}

export interface StackRecord {
  readonly name: string;
  /** component type -> component name */
  readonly components: Readonly<Record<string, string>>;
  readonly createdAt: number;
  readonly updatedAt: number;
}

/**
 * Components and stacks live in the metadata store so a team on a shared database sees the same
 * ones. Writes fail (and change nothing) on duplicates, unknown names, or deleting a component that a
 * stack still uses; the errors are StrataErrors naming the field and the fix.
 */
export interface ComponentStore {
  listComponents(type?: string): Promise<ComponentRecord[]>;
  getComponent(type: string, name: string): Promise<ComponentRecord | undefined>;
  createComponent(component: ComponentRecord): Promise<void>;
  updateComponent(type: string, name: string, patch: { flavor?: string; config?: JsonValue }): Promise<void>;
  renameComponent(type: string, name: string, newName: string): Promise<void>;
  deleteComponent(type: string, name: string): Promise<void>;

  listStacks(): Promise<StackRecord[]>;
  getStack(name: string): Promise<StackRecord | undefined>;
  createStack(stack: StackRecord): Promise<void>;
  updateStack(name: string, components: Readonly<Record<string, string>>): Promise<void>;
  renameStack(name: string, newName: string): Promise<void>;
  deleteStack(name: string): Promise<void>;
}
