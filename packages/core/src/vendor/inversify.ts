/**
 * The one place Strata imports inversify (core's plugin modules, and the stack's container in
 * @strata/project through `@strata/core/plugin`). inversify 8 is ~245 small ES modules, and Node 20's
 * ESM loader pays per file: a quarter of `strata run`'s start-up. `pnpm build` replaces this file's
 * output (dist/vendor/inversify.js) with a single bundled file (scripts/bundle-vendor.mjs); tests and
 * `tsc` alone see the plain re-export. One copy for everyone: a plugin's ContainerModule (made by
 * core's `definePlugin`) is loaded into project's Container, so both must come from here.
 */
export { Container, ContainerModule } from 'inversify';
