import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { findProjectRoot } from './project-root.js';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function tree(): string {
  const root = mkdtempSync(join(tmpdir(), 'strata-root-'));
  dirs.push(root);
  return root;
}

it('prefers the nearest .strata/, then the nearest package.json', () => {
  const root = tree();
  mkdirSync(join(root, 'repo/.git'), { recursive: true });
  mkdirSync(join(root, 'repo/pkg/src'), { recursive: true });
  writeFileSync(join(root, 'repo/pkg/package.json'), '{}');
  expect(findProjectRoot(join(root, 'repo/pkg/src'))).toBe(join(root, 'repo/pkg'));
  mkdirSync(join(root, 'repo/.strata'));
  expect(findProjectRoot(join(root, 'repo/pkg/src'))).toBe(join(root, 'repo'));
});

it('ignores a .strata/ above the repository boundary', () => {
  const root = tree();
  mkdirSync(join(root, '.strata'));
  mkdirSync(join(root, 'clone/.git'), { recursive: true });
  mkdirSync(join(root, 'clone/example'), { recursive: true });
  writeFileSync(join(root, 'clone/example/package.json'), '{}');
  expect(findProjectRoot(join(root, 'clone/example'))).toBe(join(root, 'clone/example'));
});
