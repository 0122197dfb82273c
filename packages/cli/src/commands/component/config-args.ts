/**
 * `--key value`, `--key=value` and bare `--flag` (= true) tokens after the known options, as strings;
 * the flavor's zod schema coerces them later (numbers, booleans, JSON).
 */
export function configFromArgs(tokens: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i]!;
    if (!token.startsWith('--')) {
      throw Object.assign(new Error(`unexpected argument "${token}"`), {
        code: 'invalid_argument',
        describe: () =>
          `unexpected argument "${token}"\n  fix: pass config as --key value pairs (see \`flavor describe\`)`,
      });
    }
    const eq = token.indexOf('=');
    if (eq > 0) out[token.slice(2, eq)] = token.slice(eq + 1);
    else if (i + 1 < tokens.length && !tokens[i + 1]!.startsWith('--')) out[token.slice(2)] = tokens[++i]!;
    else out[token.slice(2)] = 'true';
  }
  return out;
}
