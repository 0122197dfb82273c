/**
 * A glob as a RegExp over `/`-separated relative names: `*` and `?` stay inside one segment, `**`
 * crosses segments, `{a,b}` is an alternative. A pattern without `/` matches the base name at any
 * depth (`*.csv` finds `2024/01.csv`), as .gitignore does.
 */
export function globToRegExp(glob: string): RegExp {
  let out = '';
  let i = 0;
  let braces = 0;
  while (i < glob.length) {
    const c = glob[i]!;
    if (c === '*' && glob[i + 1] === '*') {
      i += 2;
      if (glob[i] === '/') {
        i++;
        out += '(?:.*/)?';
      } else out += '.*';
      continue;
    }
    if (c === '*') out += '[^/]*';
    else if (c === '?') out += '[^/]';
    else if (c === '{') {
      braces++;
      out += '(?:';
    } else if (c === '}' && braces > 0) {
      braces--;
      out += ')';
    } else if (c === ',' && braces > 0) out += '|';
    else out += c.replace(/[.+^$()|[\]\\]/g, '\\$&');
    i++;
  }
  return new RegExp(glob.includes('/') ? `^${out}$` : `(?:^|/)${out}$`);
}
