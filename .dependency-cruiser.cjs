/**
 * The layering of /work/shared/DESIGN.md as rules that fail the lint step of the test command
 * (`pnpm lint` runs `depcruise` after biome). Workspace packages are resolved through their
 * node_modules links and `source` export condition, so a rule sees `@strata/metadata` as
 * packages/metadata/src/... and an SDK as node_modules/<name>.
 */
// Matched on the resolved path (node_modules/<sdk>/) and on the bare name, so an SDK the package
// does not even depend on (unresolvable from it) is still refused.
const SDK_NAMES =
  '(@aws-sdk|@google-cloud|@azure|@temporalio|dockerode|docker-modem|better-sqlite3|pg|pg-pool|kysely|@electric-sql)';
const SDKS = [`node_modules/${SDK_NAMES}/`, `^${SDK_NAMES}(/|$)`];
const TEST = '[.](spec|int[.]spec|e2e[.]spec)[.]tsx?$';

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'core-no-implementations',
      comment:
        'core defines contracts: it never imports the metadata store, project, cli, server, dashboard, ml, testing, an integration or any cloud/orchestrator/database SDK (inject them instead)',
      severity: 'error',
      from: { path: '^packages/core/src/', pathNot: TEST },
      to: {
        path: [
          '^packages/(metadata|project|cli|server|dashboard|ml|testing)/',
          '^integrations/',
          // By bare name too: core depends on no other @strata package, so such an import does not resolve.
          '^@strata/(?!core(/|$))',
          ...SDKS,
        ],
      },
    },
    {
      name: 'core-no-runtime-resolution',
      comment:
        'core must not find packages at run time (createRequire(...).resolve of @strata/project): the host registers what core needs (setStackResolver). node:module is allowed only to read module graphs for code identity (step/module-graph.ts) and to re-sync builtin exports when watching reads (runner/undeclared-reads.ts)',
      severity: 'error',
      from: {
        path: '^packages/core/src/',
        pathNot: [
          TEST,
          '^packages/core/src/step/module-graph[.]ts$',
          '^packages/core/src/runner/undeclared-reads[.]ts$',
        ],
      },
      to: { dependencyTypes: ['core'], path: '^(node:)?module$' },
    },
    {
      name: 'core-specs-no-integrations',
      comment:
        "core's unit tests run on core's own in-memory stack (@strata/core/testing: in-memory database, folder artifact store, in-process run loop): never on @strata/testing, project or metadata (SQLite), an integration or an SDK. A test that needs a real store (another process, process isolation) belongs to the package it tests",
      severity: 'error',
      // Exemptions (path: reason): none today. Add one here only with the reason it cannot run on the
      // in-memory stack and cannot live in the package it really tests.
      from: { path: `^packages/core/src/.*${TEST}` },
      // Also by bare name: core does not depend on them, so such an import does not even resolve.
      to: {
        path: ['^packages/(testing|project|metadata)/', '^@strata/(?!core(/|$))', '^integrations/', ...SDKS],
      },
    },
    {
      name: 'integrations-independent',
      comment:
        'an integration never imports another integration, tests included (compose stacks through @strata/testing)',
      severity: 'error',
      from: { path: '^integrations/([^/]+)/' },
      to: { path: '^integrations/([^/]+)/', pathNot: '^integrations/$1/' },
    },
    {
      name: 'metadata-below-cli-and-integrations',
      comment:
        'the metadata store depends on core contracts only: never on the cli, server, project or an integration',
      severity: 'error',
      from: { path: '^packages/metadata/src/' },
      to: { path: ['^packages/(cli|server|project|dashboard|ml)/', '^integrations/'] },
    },
    {
      name: 'temporal-workflow-sandbox',
      comment:
        "Temporal workflow code runs in the deterministic sandbox: it imports only @temporalio/workflow, core's pure scheduler and snapshot modules, and pure modules of the temporal package (activity options, plan types)",
      severity: 'error',
      from: { path: '^integrations/temporal/src/workflows[.]ts$' },
      to: {
        pathNot: [
          'node_modules/@temporalio/workflow/',
          '^packages/core/src/(runner/scheduler|pipeline/snapshot|metadata/records|index|plugin)[.]ts$',
          '^integrations/temporal/src/(activity-options|plan|activities)[.]ts$',
        ],
      },
    },
    {
      name: 'temporal-workflow-type-only-entries',
      comment: "the workflow may name core's public entry points and the activities for their types only",
      severity: 'error',
      from: { path: '^integrations/temporal/src/workflows[.]ts$' },
      to: {
        path: ['^packages/core/src/(index|plugin)[.]ts$', '^integrations/temporal/src/activities[.]ts$'],
        dependencyTypesNot: ['type-only'],
      },
    },
    {
      name: 'no-relative-imports-across-packages',
      comment:
        'a package reaches another (examples included) through its package name and a workspace dependency, never a ../../ path',
      severity: 'error',
      from: { path: '^(packages|integrations|examples)/([^/]+)/' },
      to: {
        path: '^(packages|integrations|examples)/',
        pathNot: '^$1/$2/',
        dependencyTypes: ['local'],
      },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: ['/dist/', '[.]d[.]ts$', '/[.]bundle-spec-'] },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['source', 'import', 'types', 'default'],
      extensions: ['.ts', '.tsx', '.js', '.mjs', '.cjs', '.json'],
    },
    moduleSystems: ['es6', 'cjs'],
  },
};
