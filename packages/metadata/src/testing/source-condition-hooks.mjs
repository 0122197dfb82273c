// Module resolve hook: the `source` export condition for workspace packages (@strata/*) only.
// `node --conditions=source` applies it to every package, and some published ones (node-tar) declare
// a `source` condition pointing at files they do not ship.
export async function resolve(specifier, context, nextResolve) {
  if (specifier.startsWith('@strata/') && !context.conditions.includes('source')) {
    return nextResolve(specifier, { ...context, conditions: [...context.conditions, 'source'] });
  }
  return nextResolve(specifier, context);
}
