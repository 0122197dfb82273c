import { fileURLToPath } from 'node:url';

/**
 * How to start one step in a fresh Node process: tsx is loaded so the user's TypeScript pipeline
 * module can be imported, and the `source` condition keeps workspace packages on their sources when
 * Strata itself runs from source.
 */
export function stepCommand(): string[] {
  const self = fileURLToPath(import.meta.url);
  const entry = self.replace(/step-command\.(ts|js)$/, (_m, ext: string) => `step-entry.${ext}`);
  const tsx = import.meta.resolve('tsx');
  return [process.execPath, '--conditions=source', '--import', tsx, entry];
}
