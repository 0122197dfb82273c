import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { StrataError } from '@strata/core';
import { parseOrThrow } from '@strata/core/plugin';
import { z } from 'zod';

export const projectConfigSchema = z.object({
  version: z.literal(1).default(1),
  activeStack: z.string().min(1).default('default'),
  /** npm packages or project-relative modules exporting `plugin`. */
  plugins: z.array(z.string().min(1)).default([]),
  /** Metadata store URL; default `.strata/strata.db`. STRATA_DATABASE_URL overrides it. */
  databaseUrl: z.string().min(1).optional(),
  /** `NAME.KEY` of the secret holding the PostgreSQL password (when the URL has none). */
  databasePasswordSecret: z
    .string()
    .regex(
      /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/,
      'must be NAME.KEY of a secret (strata secret set NAME KEY=...)',
    )
    .optional(),
});
export type ProjectConfig = z.output<typeof projectConfigSchema>;

export function strataDir(root: string): string {
  return join(root, '.strata');
}

export async function readProjectConfig(root: string): Promise<ProjectConfig> {
  const path = join(strataDir(root), 'config.json');
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch {
    return projectConfigSchema.parse({});
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    throw new StrataError(`${path} is not valid JSON: ${(error as Error).message}`, {
      code: 'invalid_project_config',
      field: path,
      value: text.slice(0, 40),
      fix: 'fix the file by hand or delete it and run `strata init`',
    });
  }
  // No value in the error: the file may hold a database URL with its password.
  return parseOrThrow(projectConfigSchema, raw, {
    code: 'invalid_project_config',
    what: path,
    hideValue: true,
    fix: 'fix the field or delete the file and run `strata init`',
  });
}

/** Written through a temp file + rename so a crash never leaves a half-written config. */
export async function writeProjectConfig(root: string, config: ProjectConfig): Promise<void> {
  await writeFileAtomic(join(strataDir(root), 'config.json'), `${JSON.stringify(config, null, 2)}\n`);
}

/** Writes through a temp file + rename in the same folder (created if needed). */
export async function writeFileAtomic(path: string, text: string): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  const temp = `${path}.${process.pid}.tmp`;
  await writeFile(temp, text);
  await rename(temp, path);
}
