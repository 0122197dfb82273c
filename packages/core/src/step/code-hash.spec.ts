import { describe, expect, it } from 'vitest';
import { t } from '../artifact-type/artifact-type.js';
import { normalizeSource } from './code-hash.js';
import { step } from './step.js';

describe('normalizeSource', () => {
  it('removes loader noise: Vite import rewrites, whitespace, comments, semicolons, trailing commas, quotes', () => {
    const vite = `async ({ value }, { dir }) => {\n\t\tawait (0,__vite_ssr_import_1__.writeFile)((0,__vite_ssr_import_2__.join)(dir, "started"), 'x');\n\t}`;
    const esbuild = `async ({ value }, { dir }) => {\n  // note\n  await writeFile(join(dir, 'started'), "x")\n}`;
    expect(normalizeSource(vite)).toBe(normalizeSource(esbuild));
    expect(normalizeSource('(r) => f(r, [1, 2,],)')).toBe(normalizeSource('r=>f(r,[1,2])'));
  });

  it('keeps what changes behaviour', () => {
    expect(normalizeSource('() => a + 1')).not.toBe(normalizeSource('() => a + 2'));
    expect(normalizeSource('() => "a b"')).not.toBe(normalizeSource('() => "ab"'));
    // biome-ignore lint/suspicious/noTemplateCurlyInString: source text under test
    expect(normalizeSource('() => `x ${ y }`')).not.toBe(normalizeSource('() => `x ${y}`'));
  });
});

describe('step code hash', () => {
  it('is taken from the run property as written, so formatting does not matter and other properties do not count', () => {
    // prettier-ignore
    const a = step({ name: 'a', outputs: { n: t.number() }, run: () => ({ n: 1 }) });
    // biome-ignore format: the point is the different formatting
    const b = step({ name: 'b',   outputs: { n: t.number() },   retry: { attempts: 2 },   run:   ()=>({n:1}), });
    const c = step({ name: 'c', outputs: { n: t.number() }, run: () => ({ n: 2 }) });
    expect(b.codeHash).toBe(a.codeHash);
    expect(c.codeHash).not.toBe(a.codeHash);
  });

  it('handles method-style and async run properties and covers the declared interface', () => {
    const m1 = step({
      name: 'm',
      outputs: { n: t.number() },
      async run() {
        return { n: 1 };
      },
    });
    const m2 = step({
      name: 'm',
      outputs: { n: t.string() },
      async run() {
        return { n: 1 } as never;
      },
    });
    expect(m1.codeHash).toMatch(/^[0-9a-f]{64}$/);
    expect(m2.codeHash).not.toBe(m1.codeHash);
  });
});
