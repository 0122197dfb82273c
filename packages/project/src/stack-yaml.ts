import type { JsonValue } from '@strata/core';
import { StrataError } from '@strata/core';
import type { ComponentRecord } from '@strata/core/plugin';
import { parseOrThrow } from '@strata/core/plugin';
import { z } from 'zod';
import { getComponentOrThrow, projectFlavors, validateComponentConfig } from './components.js';
import type { Project } from './open-project.js';
import { findFlavor } from './plugins.js';
import { getStackOrThrow, validateStack } from './stacks.js';

const exportedStack = z.object({
  strata: z.literal(1),
  stack: z.string().min(1),
  components: z.record(
    z.string(),
    z.object({
      name: z.string().min(1),
      flavor: z.string().min(1),
      config: z.record(z.string(), z.unknown()).default({}),
    }),
  ),
});
export type ExportedStack = z.output<typeof exportedStack>;

/**
 * The stack and its components as YAML. Secret values never appear: configs hold only
 * `{{secret.NAME.KEY}}` references, and the secrets themselves stay in `.strata/secrets/`.
 */
export async function exportStack(project: Project, name: string): Promise<string> {
  const stack = await getStackOrThrow(project, name);
  const components: ExportedStack['components'] = {};
  for (const [type, component] of Object.entries(stack.components)) {
    const record = await getComponentOrThrow(project, type, component);
    components[type] = {
      name: record.name,
      flavor: record.flavor,
      config: record.config as Record<string, unknown>,
    };
  }
  const body: ExportedStack = { strata: 1, stack: name, components };
  const { stringify } = await import('yaml');
  return `# strata stack export ${name}; secrets are references only (create them with \`strata secret set\`)\n${stringify(body)}`;
}

const MALFORMED_FIX =
  'fix the file (compare with the output of `strata stack export NAME`) and import it again';

function malformed(path: string, problem: string): StrataError {
  return new StrataError(`${path} is not a valid stack export: ${problem}`, {
    code: 'invalid_yaml',
    field: 'file',
    value: path,
    fix: MALFORMED_FIX,
  });
}

/** Parses a stack export; yaml is imported here, so loading @strata/project does not load it. */
export async function parseStackYaml(text: string, path: string): Promise<ExportedStack> {
  const { parse } = await import('yaml');
  let raw: unknown;
  try {
    raw = parse(text);
  } catch (error) {
    throw malformed(path, (error as Error).message.split('\n')[0]!);
  }
  return parseOrThrow(exportedStack, raw, {
    code: 'invalid_yaml',
    what: `${path} is not a valid stack export`,
    hideValue: true,
    fix: MALFORMED_FIX,
  });
}

/**
 * Creates the stack (named `as`, or as exported) and any components it needs. A component that
 * already exists with the same flavor and config is reused; one with the same name but a different
 * config is an error. Everything is validated before the first write; a failed write undoes the others.
 */
export async function importStack(
  project: Project,
  text: string,
  path: string,
  as?: string,
): Promise<{ name: string; created: string[]; reused: string[] }> {
  const exported = await parseStackYaml(text, path);
  const name = as ?? exported.stack;
  if (await project.database.getStack(name)) {
    throw new StrataError(`a stack named "${name}" already exists`, {
      code: 'duplicate_name',
      field: 'name',
      value: name,
      fix: `import it under another name: strata stack import ${path} --name NEW`,
    });
  }
  const toCreate: ComponentRecord[] = [];
  const reused: string[] = [];
  const now = Date.now();
  for (const [type, c] of Object.entries(exported.components)) {
    const flavor = findFlavor(projectFlavors(project), type, c.flavor);
    const config = await validateComponentConfig(project, type, c.name, flavor, c.config);
    const existing = await project.database.getComponent(type, c.name);
    if (existing) {
      if (existing.flavor === c.flavor && JSON.stringify(existing.config) === JSON.stringify(config)) {
        reused.push(`${type}/${c.name}`);
        continue;
      }
      throw new StrataError(`a different ${type} named "${c.name}" already exists`, {
        code: 'duplicate_name',
        field: `components.${type}.name`,
        value: c.name,
        fix: `rename one of them: edit the name in ${path}, or \`strata ${type.replace(/_/g, '-')} rename ${c.name} NEW\``,
      });
    }
    toCreate.push({
      type,
      name: c.name,
      flavor: c.flavor,
      config: config as JsonValue,
      createdAt: now,
      updatedAt: now,
    });
  }
  const components = Object.fromEntries(
    Object.entries(exported.components).map(([type, c]) => [type, c.name]),
  );
  const record = { name, components, createdAt: now, updatedAt: now };
  // Validate composition against the components as they will be (the new ones are not stored yet).
  const created: ComponentRecord[] = [];
  try {
    for (const c of toCreate) {
      await project.database.createComponent(c);
      created.push(c);
    }
    await validateStack(project, name, record);
    await project.database.createStack(record);
  } catch (error) {
    for (const c of created.reverse())
      await project.database.deleteComponent(c.type, c.name).catch(() => undefined);
    throw error;
  }
  return { name, created: toCreate.map((c) => `${c.type}/${c.name}`), reused };
}
