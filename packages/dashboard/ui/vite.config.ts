import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

// The app is served by the Strata server at `/`; the API lives under `/api/v1` on the same origin.
// No CDN: everything the page loads comes out of this build.
export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  base: '/',
  // Workspace packages (the server's typed client) are bundled from their TypeScript sources.
  resolve: { conditions: ['source'] },
  oxc: { jsx: { runtime: 'automatic' } },
  build: {
    outDir: fileURLToPath(new URL('../dist/ui', import.meta.url)),
    emptyOutDir: true,
    target: 'es2022',
    sourcemap: false,
    // Vega + Vega-Lite (drawn only when a step emits a spec) is one lazy chunk of about 830 kB.
    chunkSizeWarningLimit: 900,
    rolldownOptions: {
      onwarn(warning, warn) {
        // React Flow marks itself "use client" for server-component frameworks; meaningless in an SPA.
        if (warning.code === 'MODULE_LEVEL_DIRECTIVE') return;
        warn(warning);
      },
    },
  },
  server: { proxy: { '/api': process.env.STRATA_SERVER_URL ?? 'http://127.0.0.1:4310' } },
});
