/**
 * Module resolve hook (node:module register) for code-version.ts: a module imported from a URL with
 * `?strata-code=V` passes V on to the local modules it imports (relative or absolute specifiers, not
 * under node_modules), so a new version re-evaluates the pipeline module and every helper it reaches,
 * while packages (bare specifiers: @strata/core, zod) stay the one copy the worker already loaded.
 * Runs on Node's hooks thread: no Strata imports.
 */
interface ResolveContext {
  readonly parentURL?: string;
}
interface ResolveResult {
  readonly url: string;
}
type NextResolve = (specifier: string, context: ResolveContext) => Promise<ResolveResult>;

export const CODE_VERSION_PARAM = 'strata-code';

export async function resolve(
  specifier: string,
  context: ResolveContext,
  next: NextResolve,
): Promise<ResolveResult> {
  const result = await next(specifier, context);
  const parent = context.parentURL;
  const local = specifier.startsWith('.') || specifier.startsWith('/') || specifier.startsWith('file:');
  if (!parent?.includes(CODE_VERSION_PARAM) || !local) return result;
  const version = new URL(parent).searchParams.get(CODE_VERSION_PARAM);
  if (!version || !result.url.startsWith('file:') || result.url.includes('/node_modules/')) return result;
  const url = new URL(result.url);
  url.searchParams.set(CODE_VERSION_PARAM, version);
  return { ...result, url: url.href };
}
