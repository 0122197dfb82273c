import { defineConfig, mergeConfig } from 'vite';
import base from './vite.config.js';
export default mergeConfig(base, defineConfig({
  resolve: { alias: { '@strata/server/client': '/work/wt/server/packages/server/src/client/index.ts' } },
  build: { outDir: '/tmp/dash-exp-ui' },
  preview: { proxy: { '/api': 'http://127.0.0.1:4310' } },
}));
