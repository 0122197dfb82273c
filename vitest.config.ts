import { defineConfig } from 'vitest/config';

// Tests run on sources: the `source` export condition points every workspace package at src/*.ts.
export default defineConfig({
  resolve: { conditions: ['source'] },
  ssr: { resolve: { conditions: ['source'] } },
  test: {
    include: [
      'packages/*/src/**/*.spec.ts',
      'packages/dashboard/ui/src/**/*.spec.ts',
      'integrations/*/src/**/*.spec.ts',
      'examples/*/**/*.spec.ts',
      'docs/**/*.spec.ts',
    ],
    exclude: ['**/node_modules/**', '**/dist/**'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: 'forks',
  },
});
