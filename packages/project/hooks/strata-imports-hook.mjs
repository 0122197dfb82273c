// Module resolve hook registered by resolveStrataImportsFromRunningStrata() (src/strata-imports.ts):
// a `@strata/…` import the user's project cannot resolve is resolved from the running Strata's folders.
let parents = [];

export async function initialize(data) {
  parents = data?.parents ?? [];
}

export async function resolve(specifier, context, next) {
  try {
    return await next(specifier, context);
  } catch (error) {
    if (error?.code !== 'ERR_MODULE_NOT_FOUND' || !specifier.startsWith('@strata/')) throw error;
    for (const parentURL of parents) {
      try {
        return await next(specifier, { ...context, parentURL });
      } catch {}
    }
    throw error;
  }
}
