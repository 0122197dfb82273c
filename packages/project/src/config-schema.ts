import { StrataError } from '@strata/core';
import { isSecretField, problemsOf } from '@strata/core/plugin';
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

/**
 * Validates a complete config, turning every zod issue into one StrataError naming the fields, the
 * first value and the fix: `missing_config` when only required keys are missing, else `invalid_config`.
 */
export function parseConfig(
  schema: z.ZodType,
  config: Record<string, unknown>,
  where: string,
  fixCommand: string,
): unknown {
  const parsed = schema.safeParse(config);
  if (parsed.success) return parsed.data;
  const problems = problemsOf(parsed.error, config);
  const missing = problems.filter(
    (p) => p.value === undefined && (p.code === 'invalid_type' || p.message.includes('received undefined')),
  );
  if (missing.length === problems.length) {
    const keys = missing.map((p) => `"${p.field}"`).join(', ');
    throw new StrataError(`${where}: missing required config key${missing.length > 1 ? 's' : ''} ${keys}`, {
      code: 'missing_config',
      field: missing.map((p) => p.field).join(', '),
      value: undefined,
      fix: `pass ${missing.length > 1 ? 'them' : 'it'}: ${fixCommand} ${missing.map((p) => `--${kebab(p.field)} <value>`).join(' ')}`,
    });
  }
  const listed = problems.map((p) =>
    p.value === undefined
      ? `config "${p.field}" is missing`
      : `config "${p.field}" = ${JSON.stringify(p.value)} is invalid: ${p.message}`,
  );
  const first = problems[0]!;
  throw new StrataError(`${where}: ${listed.join('; ')}`, {
    code: 'invalid_config',
    field: problems.map((p) => p.field).join(', '),
    value: first.value,
    fix: `pass a valid value: ${fixCommand} --${kebab(first.field)} <value> (see \`strata <type> flavor describe\`)`,
  });
}
