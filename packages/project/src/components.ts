import type { JsonValue } from '@strata/core';
import { StrataError } from '@strata/core';
import type { AnyFlavor, ComponentRecord } from '@strata/core/plugin';
import { coerceConfig, parseConfig, secretFields } from './config-schema.js';
import type { Project } from './open-project.js';
import { plainCredentialPath } from './plain-credentials.js';
import { findFlavor } from './plugins.js';

/** `artifact_store` <-> `artifact-store`: the CLI spells component types with dashes. */
export const cliType = (type: string) => type.replace(/_/g, '-');

export function projectFlavors(project: Pick<Project, 'plugins'>, type?: string): AnyFlavor[] {
  return project.plugins.flatMap((p) => p.flavors).filter((f) => type === undefined || f.type === type);
}

export function unknownComponentError(type: string, name: string, known: readonly string[]): StrataError {
  return new StrataError(`no ${type} named "${name}"`, {
    code: 'unknown_component',
    field: type,
    value: name,
    fix:
      known.length > 0
        ? `use one of: ${known.join(', ')} (strata ${cliType(type)} list)`
        : `register one first: strata ${cliType(type)} register ${name} --flavor <flavor>`,
  });
}

export async function getComponentOrThrow(
  project: Project,
  type: string,
  name: string,
): Promise<ComponentRecord> {
  const component = await project.database.getComponent(type, name);
  if (component) return component;
  throw unknownComponentError(
    type,
    name,
    (await project.database.listComponents(type)).map((c) => c.name),
  );
}

/**
 * Validates a config against the flavor: coerced CLI strings, zod schema, secret fields only as
 * `{{secret.NAME.KEY}}` references, and every reference pointing at an existing secret. Returns the
 * stored form (parsed, with references kept as written).
 */
export async function validateComponentConfig(
  project: Project,
  type: string,
  name: string,
  flavor: AnyFlavor,
  config: Record<string, unknown>,
): Promise<JsonValue> {
  const where = `${type} "${name}" (flavor ${flavor.name})`;
  for (const field of secretFields(flavor.config)) {
    const value = config[field];
    if (value !== undefined && !(typeof value === 'string' && /^\{\{\s*secret\.[^}]+\}\}$/.test(value))) {
      throw new StrataError(`${where}: config "${field}" is secret and must not be given as a plain value`, {
        code: 'secret_in_config',
        field,
        value: '<redacted>',
        fix: `store it with \`strata secret set NAME ${field}=...\` and pass --${field} '{{secret.NAME.${field}}}'`,
      });
    }
  }
  const credential = plainCredentialPath(config);
  if (credential) {
    throw new StrataError(
      `${where}: config "${credential}" holds a credential and must not be given as a plain value`,
      {
        code: 'secret_in_config',
        field: credential,
        value: '<redacted>',
        fix: `store it with \`strata secret set NAME KEY=...\` and give '{{secret.NAME.KEY}}' in its place (after a scheme word if it needs one: 'Bearer {{secret.NAME.KEY}}')`,
      },
    );
  }
  const parsed = parseConfig(flavor.config, config, where, `strata ${cliType(type)} update ${name}`);
  // Resolving checks that every referenced secret exists; the resolved values are dropped at once.
  await project.secrets.resolve(config, `${type}.${name}`);
  return keepReferences(parsed, config) as JsonValue;
}

/** The parsed config with defaults filled in, but secret references as the user wrote them. */
function keepReferences(parsed: unknown, raw: Record<string, unknown>): unknown {
  if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) return parsed;
  const out: Record<string, unknown> = { ...(parsed as Record<string, unknown>) };
  for (const [key, value] of Object.entries(raw))
    if (typeof value === 'string' && value.includes('{{secret.')) out[key] = value;
  return out;
}

export async function registerComponent(
  project: Project,
  input: { type: string; name: string; flavor: string; raw: Readonly<Record<string, string>> },
): Promise<ComponentRecord> {
  const flavor = findFlavor(projectFlavors(project), input.type, input.flavor);
  if (await project.database.getComponent(input.type, input.name)) {
    throw new StrataError(`a ${input.type} named "${input.name}" already exists`, {
      code: 'duplicate_name',
      field: 'name',
      value: input.name,
      fix: `choose another name, or change it with \`strata ${cliType(input.type)} update ${input.name} --key value\``,
    });
  }
  const where = `${input.type} "${input.name}"`;
  const config = await validateComponentConfig(
    project,
    input.type,
    input.name,
    flavor,
    coerceConfig(flavor.config, input.raw, where),
  );
  const now = Date.now();
  const record: ComponentRecord = {
    type: input.type,
    name: input.name,
    flavor: flavor.name,
    config,
    createdAt: now,
    updatedAt: now,
  };
  await project.database.createComponent(record);
  return record;
}

/** Changes some config keys (the rest stay); the merged config is validated before anything is written. */
export async function updateComponent(
  project: Project,
  input: { type: string; name: string; raw: Readonly<Record<string, string>> },
): Promise<ComponentRecord> {
  const current = await getComponentOrThrow(project, input.type, input.name);
  const flavor = findFlavor(projectFlavors(project), input.type, current.flavor);
  const where = `${input.type} "${input.name}"`;
  const merged = {
    ...(current.config as Record<string, unknown>),
    ...coerceConfig(flavor.config, input.raw, where),
  };
  const config = await validateComponentConfig(project, input.type, input.name, flavor, merged);
  await project.database.updateComponent(input.type, input.name, { config });
  return (await project.database.getComponent(input.type, input.name))!;
}

export async function renameComponent(
  project: Project,
  type: string,
  name: string,
  newName: string,
): Promise<void> {
  await getComponentOrThrow(project, type, name);
  if (await project.database.getComponent(type, newName)) {
    throw new StrataError(`a ${type} named "${newName}" already exists`, {
      code: 'duplicate_name',
      field: 'newName',
      value: newName,
      fix: 'choose a name no other component of this type has',
    });
  }
  await project.database.renameComponent(type, name, newName);
}

export async function deleteComponent(project: Project, type: string, name: string): Promise<void> {
  await getComponentOrThrow(project, type, name);
  const users = (await project.database.listStacks())
    .filter((s) => s.components[type] === name)
    .map((s) => s.name);
  if (users.length > 0) {
    throw new StrataError(
      `cannot delete ${type} "${name}": used by stack${users.length > 1 ? 's' : ''} ${users.map((u) => `"${u}"`).join(', ')}`,
      {
        code: 'component_in_use',
        field: 'name',
        value: name,
        fix: `give ${users.length > 1 ? 'those stacks' : 'that stack'} another ${cliType(type)} (strata stack update ${users[0]} --${cliType(type)} OTHER) or delete ${users.length > 1 ? 'them' : 'it'} first`,
      },
    );
  }
  await project.database.deleteComponent(type, name);
}
