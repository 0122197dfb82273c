/**
 * Where a component's config holds a credential in plain text below its top level: a string under a
 * key that names one (an `Authorization` header, `registry.password`, an env variable such as
 * `AWS_SECRET_ACCESS_KEY`) that is not a `{{secret.NAME.KEY}}` reference. A flavor marks its own
 * top-level secret fields (components.ts checks those by name); nested maps are free-form, so their
 * keys are what tell. A scheme word before a reference (`Bearer {{secret.hook.token}}`) is fine: the
 * reference is resolved in memory when the stack is built, and only it is stored.
 */
const CREDENTIAL_KEY = /authorization|cookie|token|secret|password|passwd|api[-_]?key|private[-_]?key/i;
const REFERENCE = /\{\{\s*secret\.[^}]+\}\}/g;
const SCHEME = /^(?:bearer|basic|token)?$/i;

export function plainCredentialPath(config: unknown): string | undefined {
  if (!config || typeof config !== 'object') return undefined;
  for (const [key, value] of Object.entries(config)) {
    const found = nested(value, key);
    if (found) return found;
  }
  return undefined;
}

function nested(value: unknown, path: string): string | undefined {
  if (!value || typeof value !== 'object') return undefined;
  for (const [key, inner] of Object.entries(value)) {
    const at = `${path}.${key}`;
    if (typeof inner === 'string') {
      if (CREDENTIAL_KEY.test(key) && !withoutCredential(inner)) return at;
      continue;
    }
    const found = nested(inner, at);
    if (found) return found;
  }
  return undefined;
}

/** Empty, or only references with at most a scheme word beside them. */
function withoutCredential(text: string): boolean {
  if (text.trim() === '') return true;
  const rest = text.replace(REFERENCE, '');
  return rest !== text && SCHEME.test(rest.trim());
}
