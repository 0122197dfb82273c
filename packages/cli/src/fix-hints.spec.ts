/**
 * Every `fix:` hint that names a `strata` command must name one the CLI has: the hints are read from
 * the sources (every `fix` property, its string and template pieces) and each `strata a b ...` in them
 * is walked down the real command table (every group registered, as `strata completion` does).
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Command } from '@commander-js/extra-typings';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { createProgram, registerGroups } from './main.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '../../..');
/** Stands for a `${...}` in a template: any word. */
const ANY = '<any>';

function sources(dir: string, out: string[] = []): string[] {
  for (const entry of readdirSync(dir)) {
    if (entry === 'node_modules' || entry === 'dist') continue;
    const full = join(dir, entry);
    if (statSync(full).isDirectory()) sources(full, out);
    else if (/\.tsx?$/.test(entry) && !/\.spec\.tsx?$/.test(entry)) out.push(full);
  }
  return out;
}

/** The text of every `fix` property initializer: string and template pieces, `${...}` as ANY. */
function fixHints(file: string): string[] {
  const source = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true);
  const hints: string[] = [];
  const text = (node: ts.Node): string => {
    if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) return node.text;
    if (ts.isTemplateExpression(node))
      return node.head.text + node.templateSpans.map((s) => ANY + s.literal.text).join('');
    let out = '';
    node.forEachChild((child) => {
      out += ` ${text(child)}`;
    });
    return out;
  };
  const visit = (node: ts.Node) => {
    if (ts.isPropertyAssignment(node) && node.name.getText(source) === 'fix')
      hints.push(text(node.initializer));
    node.forEachChild(visit);
  };
  visit(source);
  return hints;
}

/** `strata` followed by its words, up to the first option, placeholder-free argument or punctuation. */
function mentions(hint: string): string[][] {
  const found: string[][] = [];
  for (const m of hint.matchAll(/\bstrata((?: +(?:[a-z][a-z-]*|<[^>]+>))+)/g)) {
    found.push(m[1]!.trim().split(/ +/));
  }
  return found;
}

/** Why `words` is not a command path, or undefined when it is. */
function check(program: Command, words: readonly string[], verbs: ReadonlySet<string>): string | undefined {
  let level: readonly Command[] = [program as unknown as Command];
  for (const word of words) {
    const children = level.flatMap((c) => c.commands as Command[]);
    if (children.length === 0) {
      // A leaf's arguments: a word that is some command's verb (list, show, ...) was meant as a subcommand.
      return verbs.has(word) ? `"${word}" is not a subcommand of "${level[0]!.name()}"` : undefined;
    }
    const placeholder = word.startsWith('<');
    const next = placeholder ? children : children.filter((c) => c.name() === word);
    if (next.length === 0) {
      // An argument of a command that has both subcommands and its own arguments is fine.
      if (level.some((c) => c.registeredArguments.length > 0)) return undefined;
      return `no command "${word}" under "${level.map((c) => c.name()).join('|')}"`;
    }
    level = next;
  }
  return undefined;
}

describe('fix hints', () => {
  it('name only commands the CLI has', async () => {
    const program = createProgram();
    await registerGroups(program, 'all');
    const verbs = new Set<string>();
    const collect = (c: Command) => {
      for (const child of c.commands as Command[]) {
        if (child.commands.length === 0) verbs.add(child.name());
        collect(child);
      }
    };
    collect(program as unknown as Command);
    const files = ['packages', 'integrations']
      .flatMap((top) => readdirSync(join(root, top)).map((name) => join(root, top, name, 'src')))
      .filter((dir) => statSync(dir, { throwIfNoEntry: false })?.isDirectory())
      .flatMap((dir) => sources(dir));
    const wrong: string[] = [];
    let checked = 0;
    for (const file of files) {
      for (const hint of fixHints(file)) {
        for (const words of mentions(hint)) {
          checked++;
          const problem = check(program as unknown as Command, words, verbs);
          if (problem) wrong.push(`${relative(root, file)}: strata ${words.join(' ')}: ${problem}`);
        }
      }
    }
    expect(checked).toBeGreaterThan(20);
    expect(wrong).toEqual([]);
  });
});
