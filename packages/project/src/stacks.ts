import { StrataError } from '@strata/core';
import type { ComponentRecord, StackDraft, StackRecord } from '@strata/core/plugin';
import { draftStack } from './build-stack.js';
import { getComponentOrThrow, projectFlavors } from './components.js';
import { DEFAULT_STACK } from './default-stack.js';
import type { Project } from './open-project.js';
import { readProjectConfig, writeProjectConfig } from './project-config.js';
import type { QuickStack } from './quick-catalog.js';

export interface StackDescription {
  readonly name: string;
  readonly active: boolean;
  readonly components: readonly Pick<ComponentRecord, 'type' | 'name' | 'flavor' | 'config'>[];
  /** The metadata store the stack records into, password shown as `***`. */
  readonly database: string;
}

export async function getStackOrThrow(project: Project, name: string): Promise<StackRecord> {
  const stack = await project.database.getStack(name);
  if (stack) return stack;
  const names = (await project.database.listStacks()).map((s) => s.name);
  throw new StrataError(`no stack named "${name}"`, {
    code: 'unknown_stack',
    field: 'stack',
    value: name,
    fix: `use one of: ${names.join(', ') || 'none registered'} (strata stack list), or register it with \`strata stack register ${name} -o ORCH -a ART\``,
  });
}

async function assertNewStackName(project: Project, name: string): Promise<void> {
  if (await project.database.getStack(name)) {
    throw new StrataError(`a stack named "${name}" already exists`, {
      code: 'duplicate_name',
      field: 'name',
      value: name,
      fix: `choose another name, or change it with \`strata stack update ${name}\``,
    });
  }
}

/**
 * Runs every check a stack must pass (components exist, configs parse, required types present, each
 * flavor's composition rules) without loading any SDK. `proposed` validates a stack before it is stored.
 */
export async function validateStack(
  project: Project,
  name: string,
  proposed?: StackRecord,
): Promise<StackDraft> {
  if (!proposed) await getStackOrThrow(project, name);
  if (proposed)
    for (const [type, component] of Object.entries(proposed.components))
      await getComponentOrThrow(project, type, component);
  const draft = await draftStack(
    {
      name,
      root: project.root,
      database: project.database,
      plugins: project.plugins,
      secrets: project.secrets,
    },
    projectFlavors(project),
    proposed,
  );
  // Every secret the components reference must exist (the values are resolved and dropped at once).
  const record = proposed ?? (await getStackOrThrow(project, name));
  for (const [type, component] of Object.entries(record.components)) {
    const stored = await project.database.getComponent(type, component);
    await project.secrets.resolve(stored?.config ?? null, `stack ${name}: ${type}.${component}`);
  }
  return draft;
}

export async function registerStack(
  project: Project,
  name: string,
  components: Readonly<Record<string, string>>,
): Promise<StackRecord> {
  await assertNewStackName(project, name);
  const now = Date.now();
  const record: StackRecord = { name, components: { ...components }, createdAt: now, updatedAt: now };
  await validateStack(project, name, record);
  await project.database.createStack(record);
  return record;
}

/** Changes some of a stack's components; `null` removes an optional one. Validated before writing. */
export async function updateStack(
  project: Project,
  name: string,
  changes: Readonly<Record<string, string | null>>,
): Promise<StackRecord> {
  const current = await getStackOrThrow(project, name);
  const components: Record<string, string> = { ...current.components };
  for (const [type, component] of Object.entries(changes)) {
    if (component === null) delete components[type];
    else components[type] = component;
  }
  await validateStack(project, name, { ...current, components });
  await project.database.updateStack(name, components);
  return (await project.database.getStack(name))!;
}

/** Makes `name` the project's active stack, but only if it validates: a failing stack changes nothing. */
export async function setActiveStack(project: Project, name: string): Promise<void> {
  await validateStack(project, name);
  const config = await readProjectConfig(project.root);
  await writeProjectConfig(project.root, { ...config, activeStack: name });
}

export function activeStackOf(project: Project): string {
  return project.activeStackName();
}

export async function renameStack(project: Project, name: string, newName: string): Promise<void> {
  await getStackOrThrow(project, name);
  await assertNewStackName(project, newName);
  await project.database.renameStack(name, newName);
  const config = await readProjectConfig(project.root);
  // With no activeStack in the config the active one is `default`: renaming it moves the pointer too.
  if ((config.activeStack ?? DEFAULT_STACK) === name)
    await writeProjectConfig(project.root, { ...config, activeStack: newName });
}

export async function copyStack(project: Project, name: string, target: string): Promise<StackRecord> {
  const source = await getStackOrThrow(project, name);
  await assertNewStackName(project, target);
  const now = Date.now();
  const record: StackRecord = {
    name: target,
    components: { ...source.components },
    createdAt: now,
    updatedAt: now,
  };
  await project.database.createStack(record);
  return record;
}

export async function deleteStack(project: Project, name: string): Promise<void> {
  await getStackOrThrow(project, name);
  const config = await readProjectConfig(project.root);
  if (config.activeStack === name) {
    throw new StrataError(`cannot delete stack "${name}": it is the active stack`, {
      code: 'stack_active',
      field: 'stack',
      value: name,
      fix: 'activate another one first (strata stack set OTHER)',
    });
  }
  await project.database.deleteStack(name);
}

export async function describeStack(project: Project, name: string): Promise<StackDescription> {
  const stack = await getStackOrThrow(project, name);
  const components = [];
  for (const [type, component] of Object.entries(stack.components)) {
    const record = await getComponentOrThrow(project, type, component);
    components.push({ type, name: record.name, flavor: record.flavor, config: record.config });
  }
  return { name, active: project.activeStackName() === name, components, database: project.database.url };
}

/** Same shape as the quick-catalog fast path, so `stack list` prints the same either way. */
export async function listStacks(project: Project, override?: string): Promise<QuickStack[]> {
  const active = project.activeStackName(override);
  const flavors = new Map(
    (await project.database.listComponents()).map((c) => [`${c.type}/${c.name}`, c.flavor]),
  );
  return (await project.database.listStacks()).map((s) => ({
    name: s.name,
    active: s.name === active,
    components: Object.fromEntries(
      Object.entries(s.components).map(([type, name]) => [
        type,
        { name, flavor: flavors.get(`${type}/${name}`) ?? '?' },
      ]),
    ),
  }));
}

/** `--orchestrator` style CLI option names for each component type. */
export const stackOptionTypes = [
  'orchestrator',
  'artifact_store',
  'model_registry',
  'deployer',
  'experiment_tracker',
  'alerter',
] as const;
