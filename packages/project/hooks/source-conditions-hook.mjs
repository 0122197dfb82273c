// Module resolve hook registered by source-conditions.mjs.
export async function resolve(specifier, context, next) {
  if (specifier.startsWith('@strata/') && !context.conditions.includes('source')) {
    return next(specifier, { ...context, conditions: ['source', ...context.conditions] });
  }
  return next(specifier, context);
}
