import { fileURLToPath } from 'node:url';

/**
 * How to start one step in a fresh Node process: tsx is loaded so the user's TypeScript pipeline
 * module can be imported, and a resolve hook keeps workspace packages (@strata/*) on their `source`
 * export condition when Strata itself runs from source. (A global `--conditions=source` would also
 * apply to third-party packages such as tar, whose `source` condition points at unpublished files.)
 */
export function stepCommand(): string[] {
  const self = fileURLToPath(import.meta.url);
  // From src/ (tests) or tsc's dist/ the entry sits beside this file; inside the bundle
  // (scripts/bundle-packages.mjs) this code lives in a shared chunk: ask the package's exports.
  const entry = /step-command\.(ts|js)$/.test(self)
    ? self.replace(/step-command\.(ts|js)$/, (_m, ext: string) => `step-entry.${ext}`)
    : fileURLToPath(import.meta.resolve('@strata/project/step-entry'));
  const tsx = import.meta.resolve('tsx');
  const hook = fileURLToPath(new URL('../hooks/source-conditions.mjs', import.meta.url));
  return [process.execPath, '--import', tsx, '--import', hook, entry];
}
