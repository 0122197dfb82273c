/**
 * Just enough of npm's semver ranges for a plugin to say which @strata/core it supports:
 * `1.2.3`, `=1.2.3`, `>=1.2.0 <2.0.0` (space = and), `^0.1.0`, `~1.2.0`, `1.x`, `*`, and `a || b`.
 * Pre-release tags are compared as plain versions without them. Core keeps no semver dependency.
 */
type Version = readonly [number, number, number];

function parse(text: string): { version: Version; parts: number } | undefined {
  const m = /^v?(\d+|x|\*)(?:\.(\d+|x|\*))?(?:\.(\d+|x|\*))?(?:-[\w.]+)?$/.exec(text.trim());
  if (!m) return undefined;
  const raw = [m[1], m[2], m[3]];
  const parts = raw.findIndex((p) => p === undefined || p === 'x' || p === '*');
  const count = parts === -1 ? 3 : parts;
  const nums = raw.map((p) => (p === undefined || p === 'x' || p === '*' ? 0 : Number(p)));
  return { version: [nums[0]!, nums[1]!, nums[2]!], parts: count };
}

function compare(a: Version, b: Version): number {
  for (let i = 0; i < 3; i++) if (a[i] !== b[i]) return a[i]! < b[i]! ? -1 : 1;
  return 0;
}

/** [lower inclusive, upper exclusive] for one comparator; undefined when it is not valid syntax. */
function bounds(comparator: string): ((v: Version) => boolean) | undefined {
  if (comparator === '*' || comparator === '') return () => true;
  const m = /^(\^|~|>=|<=|>|<|=)?\s*(.+)$/.exec(comparator);
  if (!m) return undefined;
  const op = m[1] ?? '';
  const parsed = parse(m[2]!);
  if (!parsed) return undefined;
  const { version: base, parts } = parsed;
  const [major, minor, patch] = base;
  switch (op) {
    case '>=':
      return (v) => compare(v, base) >= 0;
    case '>':
      return (v) => compare(v, base) > 0;
    case '<=':
      return (v) => compare(v, base) <= 0;
    case '<':
      return (v) => compare(v, base) < 0;
    case '^': {
      const upper: Version =
        major > 0 || parts === 1
          ? [major + 1, 0, 0]
          : minor > 0 || parts === 2
            ? [0, minor + 1, 0]
            : [0, 0, patch + 1];
      return (v) => compare(v, base) >= 0 && compare(v, upper) < 0;
    }
    case '~': {
      const upper: Version = parts === 1 ? [major + 1, 0, 0] : [major, minor + 1, 0];
      return (v) => compare(v, base) >= 0 && compare(v, upper) < 0;
    }
    default: {
      if (parts === 3) return (v) => compare(v, base) === 0;
      const upper: Version = parts === 1 ? [major + 1, 0, 0] : [major, minor + 1, 0];
      return (v) => compare(v, base) >= 0 && compare(v, upper) < 0;
    }
  }
}

/** True when `range` is one this module understands. */
export function isValidRange(range: string): boolean {
  return range.split('||').every((set) =>
    set
      .trim()
      .replace(/(\^|~|>=|<=|>|<|=)\s+/g, '$1')
      .split(/\s+/)
      .every((c) => bounds(c) !== undefined),
  );
}

/** Whether `version` (e.g. STRATA_VERSION) is inside `range`. */
export function satisfies(version: string, range: string): boolean {
  const v = parse(version)?.version;
  if (!v) return false;
  return range.split('||').some((set) =>
    set
      .trim()
      .replace(/(\^|~|>=|<=|>|<|=)\s+/g, '$1')
      .split(/\s+/)
      .every((c) => bounds(c)?.(v) ?? false),
  );
}
