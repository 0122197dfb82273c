import { StrataError } from '../../errors/strata-error.js';
import type { ComponentRecord, ComponentStore, StackRecord } from '../../metadata/component-store.js';
import { checkName, quoteList } from '../../metadata/names.js';
import type { JsonValue } from '../../metadata/records.js';
import { json, key, type MemoryTables, orderBy } from './tables.js';

function unknownComponent(type: string, name: string, field = 'name'): StrataError {
  const command = type.replaceAll('_', '-');
  return new StrataError(`no ${type} component named "${name}"`, {
    code: 'unknown_component',
    field,
    value: name,
    fix: `list them with \`strata ${command} list\`, or register it first with \`strata ${command} register ${name} --flavor <flavor>\``,
  });
}

function duplicateComponent(type: string, name: string): StrataError {
  return new StrataError(`a ${type} component named "${name}" already exists`, {
    code: 'duplicate_name',
    field: 'name',
    value: name,
    fix: `choose another name, or change the existing one with \`strata ${type.replaceAll('_', '-')} update ${name}\``,
  });
}

function unknownStack(name: string): StrataError {
  return new StrataError(`no stack named "${name}"`, {
    code: 'unknown_stack',
    field: 'name',
    value: name,
    fix: 'list the stacks with `strata stack list`, or create it with `strata stack register <name> ...`',
  });
}

function duplicateStack(name: string, field: string): StrataError {
  return new StrataError(`a stack named "${name}" already exists`, {
    code: 'duplicate_name',
    field,
    value: name,
    fix: `choose another name, or change the existing stack with \`strata stack update ${name}\``,
  });
}

function copyComponent(c: ComponentRecord): ComponentRecord {
  return { ...c, config: json(c.config) };
}

/** Components and stacks of the in-memory database, with the SQL schema's keys and cascades. */
export class MemoryComponentStore implements ComponentStore {
  constructor(private readonly t: MemoryTables) {}

  async listComponents(type?: string): Promise<ComponentRecord[]> {
    return [...this.t.components.values()]
      .filter((c) => type === undefined || c.type === type)
      .sort(
        orderBy(
          (c) => c.type,
          (c) => c.name,
        ),
      )
      .map(copyComponent);
  }

  async getComponent(type: string, name: string): Promise<ComponentRecord | undefined> {
    const c = this.t.components.get(key(type, name));
    return c && copyComponent(c);
  }

  async createComponent(component: ComponentRecord): Promise<void> {
    checkName('type', component.type);
    checkName('name', component.name);
    checkName('flavor', component.flavor);
    const k = key(component.type, component.name);
    if (this.t.components.has(k)) throw duplicateComponent(component.type, component.name);
    this.t.components.set(k, copyComponent(component));
  }

  async updateComponent(
    type: string,
    name: string,
    patch: { flavor?: string; config?: JsonValue },
  ): Promise<void> {
    if (patch.flavor !== undefined) checkName('flavor', patch.flavor);
    const k = key(type, name);
    const found = this.t.components.get(k);
    if (!found) throw unknownComponent(type, name);
    this.t.components.set(k, {
      ...found,
      ...(patch.flavor === undefined ? {} : { flavor: patch.flavor }),
      ...(patch.config === undefined ? {} : { config: json(patch.config) }),
      updatedAt: Date.now(),
    });
  }

  /** Renames a component; the stacks that use it follow (the schema's ON UPDATE CASCADE). */
  async renameComponent(type: string, name: string, newName: string): Promise<void> {
    checkName('newName', newName);
    const found = this.t.components.get(key(type, name));
    if (!found) throw unknownComponent(type, name);
    if (this.t.components.has(key(type, newName))) {
      throw new StrataError(`cannot rename ${type} "${name}": ${duplicateComponent(type, newName).message}`, {
        code: 'duplicate_name',
        field: 'newName',
        value: newName,
        fix: 'choose a name no other component of this type has',
      });
    }
    this.t.components.delete(key(type, name));
    this.t.components.set(key(type, newName), { ...found, name: newName, updatedAt: Date.now() });
    for (const stack of this.t.stacks.values()) {
      if (stack.components[type] === name) stack.components[type] = newName;
    }
  }

  async deleteComponent(type: string, name: string): Promise<void> {
    if (!this.t.components.has(key(type, name))) throw unknownComponent(type, name);
    const stacks = [...this.t.stacks.entries()]
      .filter(([, s]) => s.components[type] === name)
      .map(([stackName]) => stackName)
      .sort();
    if (stacks.length > 0) {
      const one = stacks.length === 1;
      throw new StrataError(
        `cannot delete ${type} "${name}": ${one ? 'stack' : 'stacks'} ${quoteList(stacks)} ${one ? 'uses' : 'use'} it`,
        {
          code: 'component_in_use',
          field: 'name',
          value: name,
          fix: `give ${one ? 'that stack' : 'those stacks'} another ${type} (\`strata stack update <stack> --${type} <component>\`) or delete ${one ? 'it' : 'them'} first (\`strata stack delete <stack>\`)`,
        },
      );
    }
    this.t.components.delete(key(type, name));
  }

  async listStacks(): Promise<StackRecord[]> {
    return [...this.t.stacks.keys()].sort().map((name) => this.#stack(name));
  }

  async getStack(name: string): Promise<StackRecord | undefined> {
    return this.t.stacks.has(name) ? this.#stack(name) : undefined;
  }

  #stack(name: string): StackRecord {
    const s = this.t.stacks.get(name)!;
    const components: Record<string, string> = {};
    for (const type of Object.keys(s.components).sort()) components[type] = s.components[type]!;
    return { name, components, createdAt: s.createdAt, updatedAt: s.updatedAt };
  }

  async createStack(stack: StackRecord): Promise<void> {
    checkName('name', stack.name);
    if (this.t.stacks.has(stack.name)) throw duplicateStack(stack.name, 'name');
    this.#checkComponents(stack.components);
    this.t.stacks.set(stack.name, {
      components: { ...stack.components },
      createdAt: stack.createdAt,
      updatedAt: stack.updatedAt,
    });
  }

  async updateStack(name: string, components: Readonly<Record<string, string>>): Promise<void> {
    const found = this.t.stacks.get(name);
    if (!found) throw unknownStack(name);
    this.#checkComponents(components);
    this.t.stacks.set(name, { ...found, components: { ...components }, updatedAt: Date.now() });
  }

  /** Renames a stack (its component rows follow). */
  async renameStack(name: string, newName: string): Promise<void> {
    checkName('newName', newName);
    const found = this.t.stacks.get(name);
    if (!found) throw unknownStack(name);
    if (newName !== name && this.t.stacks.has(newName)) throw duplicateStack(newName, 'newName');
    this.t.stacks.delete(name);
    this.t.stacks.set(newName, { ...found, updatedAt: Date.now() });
  }

  async deleteStack(name: string): Promise<void> {
    if (!this.t.stacks.delete(name)) throw unknownStack(name);
  }

  /** Every referenced component must exist; the error names the first missing one as `components.<type>`. */
  #checkComponents(components: Readonly<Record<string, string>>): void {
    const entries = Object.entries(components);
    for (const [type, name] of entries) checkName(`components.${type}`, name);
    for (const [type, name] of entries) {
      if (!this.t.components.has(key(type, name))) throw unknownComponent(type, name, `components.${type}`);
    }
  }
}
