import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { STRATA_VERSION } from '../version.js';
import { callSpans, forgetModules, moduleCodeIdentity } from './module-identity.js';

let dir: string;
beforeEach(() => {
  forgetModules();
  dir = mkdtempSync(join(tmpdir(), 'strata-identity-'));
  writeFileSync(join(dir, 'package.json'), '{"name":"p","type":"module"}');
  mkdirSync(join(dir, 'node_modules', 'leftpad'), { recursive: true });
  writeFileSync(join(dir, 'node_modules', 'leftpad', 'package.json'), '{"name":"leftpad","version":"1.0.0"}');
  write(
    'helper.ts',
    "import { pad } from 'leftpad';\nexport const FACTOR = 10;\nexport const scale = (x: number) => x * FACTOR;\n",
  );
  write('unrelated.ts', 'export const other = 1;\n');
  write(
    'steps.ts',
    [
      "import { step, t } from '@strata/core';",
      "import type { Thing } from './types.js';",
      "import { scale } from './helper.js';",
      'const OFFSET = 1;',
      "export const a = step({ name: 'a', outputs: { v: t.json() }, run: () => ({ v: scale(1) + OFFSET }) });",
      "export const b = step({ name: 'b', outputs: { v: t.json() }, run: () => ({ v: 2 }) });",
      '',
    ].join('\n'),
  );
});

function write(name: string, text: string) {
  writeFileSync(join(dir, name), text);
}

function identityOf() {
  forgetModules();
  return moduleCodeIdentity(join(dir, 'steps.ts'))!;
}

describe('stepCodeIdentity', () => {
  it('covers the module, its local imports (not type-only ones) and package versions', () => {
    const id = identityOf();
    expect(Object.keys(id.files)).toEqual(['helper.ts', 'steps.ts']);
    // @strata/core is not installed here: the running Strata's copy (and version) is the one imported.
    expect(id.packages).toEqual({ '@strata/core': STRATA_VERSION, leftpad: '1.0.0' });
  });

  it('names another package that is not installed as missing', () => {
    write('helper.ts', "import { pad } from 'not-installed-xyz';\nexport const scale = (x: number) => x;\n");
    expect(identityOf().packages).toEqual({ '@strata/core': STRATA_VERSION, 'not-installed-xyz': 'missing' });
  });

  it('changes when a helper, a module constant or a dependency version changes, naming it', () => {
    const before = identityOf();
    write(
      'helper.ts',
      "import { pad } from 'leftpad';\nexport const FACTOR = 100;\nexport const scale = (x: number) => x * FACTOR;\n",
    );
    const helperEdit = identityOf();
    expect(helperEdit.hash).not.toBe(before.hash);
    expect(helperEdit.files['helper.ts']).not.toBe(before.files['helper.ts']);
    expect(helperEdit.files['steps.ts']).toBe(before.files['steps.ts']);

    const text = readFileSync(join(dir, 'steps.ts'), 'utf8');
    write('steps.ts', text.replace('const OFFSET = 1', 'const OFFSET = 2'));
    expect(identityOf().files['steps.ts']).not.toBe(helperEdit.files['steps.ts']);

    writeFileSync(
      join(dir, 'node_modules', 'leftpad', 'package.json'),
      '{"name":"leftpad","version":"1.0.1"}',
    );
    expect(identityOf().packages.leftpad).toBe('1.0.1');
  });

  it('does not change for an unrelated file, comments and whitespace, or a neighbouring step (whose own run is hashed on its own)', () => {
    const before = identityOf();
    write('unrelated.ts', 'export const other = 2;\n');
    const text = readFileSync(join(dir, 'steps.ts'), 'utf8');
    write('steps.ts', `// a comment\n${text.replace('run: () => ({ v: 2 })', 'run: () => ({ v: 3 })')}`);
    expect(identityOf().hash).toBe(before.hash);
    expect(identityOf().hash).toBe(before.hash);
  });

  it('covers a JSON module the step imports (it used to throw ENOTDIR looking for config.json/index.ts)', () => {
    write('config.json', '{ "offset": 1 }\n');
    const text = readFileSync(join(dir, 'steps.ts'), 'utf8');
    write('steps.ts', `import cfg from './config.json' with { type: 'json' };\n${text}`);
    const before = identityOf();
    expect(Object.keys(before.files)).toEqual(['config.json', 'helper.ts', 'steps.ts']);
    write('config.json', '{ "offset": 2 }\n');
    expect(identityOf().files['config.json']).not.toBe(before.files['config.json']);
  });

  it('finds step( and pipeline( calls but not member calls, strings or comments', () => {
    const text = "step({a:1}); x.step(2); 'step(3)'; // step(4)\npipeline<T>({ b: step({}) });";
    expect(callSpans(text).map((s) => text.slice(s.start, s.end))).toEqual([
      'step({a:1})',
      'pipeline<T>({ b: step({}) })',
      'step({})',
    ]);
  });
});
