import { isSecretField, StrataError } from '@strata/core';
import type { z } from 'zod';

/** One row of `strata <type> flavor describe F`: a config field as a human reads it. */
export interface ConfigField {
  readonly field: string;
  readonly type: string;
  readonly default: unknown;
  readonly required: boolean;
  readonly secret: boolean;
  readonly description: string;
}

interface ZodLike {
  readonly def: { readonly type: string; readonly defaultValue?: unknown; readonly innerType?: ZodLike };
  readonly description?: string;
  readonly options?: readonly unknown[];
  readonly minValue?: number | null;
  readonly maxValue?: number | null;
  readonly format?: string | null;
  readonly shape?: Record<string, ZodLike>;
  isOptional(): boolean;
}

function shapeOf(schema: z.ZodType): Record<string, ZodLike> {
  const shape = (schema as unknown as ZodLike).shape;
  return shape ?? {};
}

/** Peels optional/default/nullable wrappers, keeping the first description and default found. */
function unwrap(field: ZodLike): { inner: ZodLike; description: string | undefined; defaultValue: unknown } {
  let inner = field;
  let description = field.description;
  let defaultValue: unknown;
  while (['optional', 'default', 'nullable', 'prefault'].includes(inner.def.type) && inner.def.innerType) {
    if (inner.def.type === 'default' && defaultValue === undefined) defaultValue = inner.def.defaultValue;
    inner = inner.def.innerType;
    description ??= inner.description;
  }
  return { inner, description, defaultValue };
}

function typeName(inner: ZodLike): string {
  const type = inner.def.type;
  if (type === 'enum') return (inner.options ?? []).map(String).join(' | ');
  if (type === 'number') {
    const base = inner.format === 'safeint' || inner.format === 'int32' ? 'integer' : 'number';
    const min = inner.minValue ?? undefined;
    const max = inner.maxValue ?? undefined;
    const safe = (n: number | undefined) => n !== undefined && Math.abs(n) < Number.MAX_SAFE_INTEGER;
    if (safe(min) && safe(max)) return `${base} ${min}..${max}`;
    if (safe(min)) return `${base} >= ${min}`;
    if (safe(max)) return `${base} <= ${max}`;
    return base;
  }
  return type;
}

/** The readable schema table, derived from the flavor's zod object schema. */
export function describeConfigSchema(schema: z.ZodType): ConfigField[] {
  return Object.entries(shapeOf(schema)).map(([field, zodField]) => {
    const { inner, description, defaultValue } = unwrap(zodField);
    return {
      field,
      type: typeName(inner),
      default: defaultValue,
      required: !zodField.isOptional(),
      secret: isSecretField(zodField as unknown as z.ZodType),
      description: description ?? '',
    };
  });
}

/** Names of the secret-marked fields of a flavor config. */
export function secretFields(schema: z.ZodType): string[] {
  return describeConfigSchema(schema)
    .filter((f) => f.secret)
    .map((f) => f.field);
}

const kebab = (name: string) => name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);

/**
 * Turns `--key value` strings from the command line into typed config values, using the schema: numbers
 * and booleans are coerced, objects and arrays parsed as JSON, `--echo-logs` finds `echoLogs`.
 */
export function coerceConfig(
  schema: z.ZodType,
  raw: Readonly<Record<string, string>>,
  where: string,
): Record<string, unknown> {
  const shape = shapeOf(schema);
  const byName = new Map<string, string>();
  for (const name of Object.keys(shape)) {
    byName.set(name, name);
    byName.set(kebab(name), name);
  }
  const out: Record<string, unknown> = {};
  for (const [key, text] of Object.entries(raw)) {
    const name = byName.get(key);
    if (!name) {
      throw new StrataError(`${where}: unknown config key "${key}"`, {
        code: 'unknown_config_key',
        field: key,
        value: text,
        fix: `use one of: ${
          Object.keys(shape)
            .map((k) => `--${kebab(k)}`)
            .join(', ') || '(this flavor takes no config)'
        }`,
      });
    }
    const { inner } = unwrap(shape[name]!);
    out[name] = coerceValue(inner.def.type, text, `${where}: config "${name}"`, name);
  }
  return out;
}

function coerceValue(type: string, text: string, where: string, field: string): unknown {
  if (text.startsWith('{{secret.')) return text;
  if (type === 'number') {
    const n = Number(text);
    if (text.trim() === '' || Number.isNaN(n)) {
      throw new StrataError(`${where} must be a number, got "${text}"`, {
        code: 'invalid_config',
        field,
        value: text,
        fix: `pass a number, e.g. --${kebab(field)} 4`,
      });
    }
    return n;
  }
  if (type === 'boolean') {
    if (['true', 'yes', '1', 'on'].includes(text)) return true;
    if (['false', 'no', '0', 'off'].includes(text)) return false;
    throw new StrataError(`${where} must be true or false, got "${text}"`, {
      code: 'invalid_config',
      field,
      value: text,
      fix: `pass --${kebab(field)} true or --${kebab(field)} false`,
    });
  }
  if (type === 'object' || type === 'array' || type === 'record') {
    try {
      return JSON.parse(text);
    } catch {
      throw new StrataError(`${where} must be JSON (${type}), got "${text}"`, {
        code: 'invalid_config',
        field,
        value: text,
        fix: `pass JSON, e.g. --${kebab(field)} '${type === 'array' ? '["a"]' : '{"k":"v"}'}'`,
      });
    }
  }
  return text;
}

/** Validates a complete config, turning the first zod issue into a StrataError naming field, value and fix. */
export function parseConfig(
  schema: z.ZodType,
  config: Record<string, unknown>,
  where: string,
  fixCommand: string,
): unknown {
  const parsed = schema.safeParse(config);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0]!;
  const field = issue.path.join('.');
  const value = config[field];
  if (
    value === undefined &&
    (issue.code === 'invalid_type' || issue.message.includes('received undefined'))
  ) {
    throw new StrataError(`${where}: missing required config key "${field}"`, {
      code: 'missing_config',
      field,
      value: undefined,
      fix: `pass it: ${fixCommand} --${kebab(field)} <value>`,
    });
  }
  throw new StrataError(
    `${where}: config "${field}" = ${JSON.stringify(value)} is invalid: ${issue.message}`,
    {
      code: 'invalid_config',
      field,
      value,
      fix: `pass a valid value: ${fixCommand} --${kebab(field)} <value> (see \`strata <type> flavor describe\`)`,
    },
  );
}
