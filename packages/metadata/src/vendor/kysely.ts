/**
 * The one place @strata/metadata imports Kysely. Kysely ships as ~260 small ES modules, and Node 20's
 * ESM loader pays per file (resolve, stat, read, compile, link): a quarter of `strata run`'s start-up.
 * `pnpm build` replaces this file's output (dist/vendor/kysely.js) with a single bundled file
 * (scripts/bundle-vendor.mjs); tests and `tsc` alone see the plain re-export, which behaves the same.
 * Import Kysely through this file only (vendor-imports.spec.ts holds that), or a second copy loads.
 */
export * from 'kysely';
