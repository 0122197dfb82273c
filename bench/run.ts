/**
 * `pnpm bench [section ...] [-- args]`: runs benchmark sections, each in its own Node process (so one
 * section's memory or a crash cannot skew another). A section is `bench/<name>.ts` or
 * `bench/<name>/index.ts`; with no names, every section runs in alphabetical order. Arguments after
 * `--` go to every selected section. Figures and how they were measured: docs/benchmarks.md.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const root = dirname(here);
const hook = join(root, 'packages/project/hooks/source-conditions.mjs');

function sections(): Map<string, string> {
  const found = new Map<string, string>();
  for (const entry of readdirSync(here).sort()) {
    const full = join(here, entry);
    if (entry.endsWith('.ts') && entry !== 'run.ts' && statSync(full).isFile())
      found.set(entry.slice(0, -3), full);
    else if (statSync(full).isDirectory() && existsSync(join(full, 'index.ts')))
      found.set(entry, join(full, 'index.ts'));
  }
  return found;
}

const argv = process.argv.slice(2);
const dash = argv.indexOf('--');
const names = dash < 0 ? argv : argv.slice(0, dash);
const forwarded = dash < 0 ? [] : argv.slice(dash + 1);
const available = sections();
const unknown = names.filter((n) => !available.has(n));
if (unknown.length > 0) {
  console.error(`unknown benchmark section "${unknown[0]}"; available: ${[...available.keys()].join(', ')}`);
  process.exit(2);
}
const selected = names.length > 0 ? names : [...available.keys()];
let failed = 0;
for (const name of selected) {
  console.log(`\n=== bench ${name}`);
  // tsx runs the TypeScript; the hook resolves @strata/* packages to their sources.
  const result = spawnSync(
    process.execPath,
    ['--import', 'tsx', '--import', hook, available.get(name)!, ...forwarded],
    {
      cwd: root,
      stdio: 'inherit',
    },
  );
  if (result.status !== 0) {
    failed++;
    console.error(`bench ${name} exited with ${result.signal ?? `code ${result.status}`}`);
  }
}
process.exit(failed > 0 ? 1 : 0);
