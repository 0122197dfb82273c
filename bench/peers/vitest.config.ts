import { defineConfig } from 'vitest/config';

// The peer benchmark's own unit tests (pure parts only); kept out of the root test suite.
export default defineConfig({ test: { root: import.meta.dirname, include: ['*.spec.ts'] } });
