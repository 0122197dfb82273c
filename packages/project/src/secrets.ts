import { chmod, mkdir, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { StrataError } from '@strata/core';

/** Longest secret name. */
export const SECRET_NAME_MAX_LENGTH = 64;

const reference = /\{\{\s*secret\.([A-Za-z0-9_-]+)\.([A-Za-z0-9_-]+)\s*\}\}/g;

/**
 * Secrets live outside the metadata store, one JSON file per secret under `.strata/secrets/` with
 * owner-only permissions (0600, directory 0700). Configs hold `{{secret.NAME.KEY}}` references; values
 * are substituted only in memory when a component is built.
 */
export class SecretStore {
  constructor(private readonly dir: string) {}

  private path(name: string): string {
    // No "." (references are {{secret.NAME.KEY}}); at most 64 characters (the name is a file name).
    if (!/^[A-Za-z0-9_-]+$/.test(name) || name.length > SECRET_NAME_MAX_LENGTH) {
      const shown = name.length > 80 ? `${name.slice(0, 60)}… (${name.length} characters)` : name;
      throw new StrataError(`invalid secret name "${shown}"`, {
        code: 'invalid_name',
        field: 'name',
        value: shown,
        fix: `use 1 to ${SECRET_NAME_MAX_LENGTH} letters, digits, "_" and "-" only`,
      });
    }
    return join(this.dir, `${name}.json`);
  }

  /**
   * Sets the given keys of a secret, keeping its other keys (`replace: true` drops them). Written to a
   * temporary file and renamed, so a reader never sees half a secret.
   */
  async set(
    name: string,
    values: Record<string, string>,
    options: { replace?: boolean } = {},
  ): Promise<void> {
    const path = this.path(name);
    const merged = options.replace ? values : { ...((await this.get(name)) ?? {}), ...values };
    await mkdir(this.dir, { recursive: true, mode: 0o700 });
    await chmod(this.dir, 0o700);
    const temp = `${path}.${process.pid}.tmp`;
    try {
      await writeFile(temp, JSON.stringify(merged), { mode: 0o600 });
      await rename(temp, path);
    } catch (error) {
      await rm(temp, { force: true });
      throw error;
    }
  }

  async get(name: string): Promise<Record<string, string> | undefined> {
    try {
      return JSON.parse(await readFile(this.path(name), 'utf8')) as Record<string, string>;
    } catch {
      return undefined;
    }
  }

  async list(): Promise<{ name: string; keys: string[] }[]> {
    let files: string[];
    try {
      files = await readdir(this.dir);
    } catch {
      return [];
    }
    const out = [];
    for (const file of files.filter((f) => f.endsWith('.json')).sort()) {
      const name = file.slice(0, -'.json'.length);
      out.push({ name, keys: Object.keys((await this.get(name)) ?? {}) });
    }
    return out;
  }

  async delete(name: string): Promise<void> {
    if (!(await this.get(name))) {
      throw new StrataError(`secret "${name}" does not exist`, {
        code: 'unknown_secret',
        field: 'name',
        value: name,
        fix: 'list secrets with `strata secret list`',
      });
    }
    await rm(this.path(name));
  }

  /** Replaces every `{{secret.NAME.KEY}}` in string values (deeply); unknown references are errors. */
  async resolve<T>(value: T, where: string): Promise<T> {
    if (typeof value === 'string') {
      let out: string = value;
      for (const match of value.matchAll(reference)) {
        const [whole, name, key] = match as unknown as [string, string, string];
        const secret = await this.get(name);
        const resolved = secret?.[key];
        if (resolved === undefined) {
          throw new StrataError(`${where} references secret "${name}.${key}", which does not exist`, {
            code: 'unknown_secret',
            field: where,
            value: whole,
            fix: `create it with \`strata secret set ${name} ${key}=...\``,
          });
        }
        out = out.replace(whole, resolved);
      }
      return out as T;
    }
    if (Array.isArray(value))
      return (await Promise.all(value.map((v, i) => this.resolve(v, `${where}[${i}]`)))) as T;
    if (value && typeof value === 'object') {
      const out: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(value)) out[k] = await this.resolve(v, `${where}.${k}`);
      return out as T;
    }
    return value;
  }
}

export function referencedSecrets(value: unknown): string[] {
  return [...JSON.stringify(value ?? null).matchAll(reference)].map((m) => `${m[1]}.${m[2]}`);
}
