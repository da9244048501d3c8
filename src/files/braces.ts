// `{a,b}` alternatives of VS Code's glob patterns (files.exclude, search.exclude), expanded into
// the plain patterns gitignore syntax (the `ignore` package) reads: `**/*.{key,bak}` becomes
// `**/*.key` and `**/*.bak`. Groups may nest. Only commas separate: VS Code's globs have no
// `{1..3}` ranges, so none are expanded here. A `{` with no matching `}` or no comma stays as it is.

/** Most patterns one pattern expands to; past it the pattern is kept as it is (never matches a brace-less path). */
const MAX = 256;
/**
 * Most `{` in a pattern that is expanded: more groups than this stand for far more than MAX patterns
 * (each group of two doubles them), and each would cost a pass over the pattern and a level of recursion.
 */
const MAX_BRACES = 64;

/**
 * The patterns `pattern`'s brace groups stand for (itself when it has none). The work is bounded too,
 * not only the result: a workspace's files.exclude may come from a cloned repository, and 30 groups
 * stand for 2^30 patterns (expanding one group after another until too many came out took 9 s for 24).
 */
export function expandBraces(pattern: string): string[] {
  if (pattern.split('{').length - 1 > MAX_BRACES) {
    return [pattern];
  }
  const out: string[] = [];
  // Depth first; false as soon as more than MAX patterns came out.
  const expand = (p: string): boolean => {
    const group = firstGroup(p);
    if (!group) {
      out.push(p);
      return out.length <= MAX;
    }
    const head = p.slice(0, group.start);
    const tail = p.slice(group.end + 1);
    return group.alternatives.every((alternative) => expand(head + alternative + tail));
  };
  return expand(pattern) ? out : [pattern];
}

/** The first `{…}` holding a top-level comma: where it is and its alternatives (each may hold groups). */
function firstGroup(p: string): { start: number; end: number; alternatives: string[] } | undefined {
  for (let start = 0; start < p.length; start++) {
    if (p[start] === '\\') {
      start++;
      continue;
    }
    if (p[start] !== '{') {
      continue;
    }
    let depth = 0;
    let from = start + 1;
    const alternatives: string[] = [];
    for (let i = start; i < p.length; i++) {
      const c = p[i];
      if (c === '\\') {
        i++;
      } else if (c === '{') {
        depth++;
      } else if (c === '}' && --depth === 0) {
        alternatives.push(p.slice(from, i));
        if (alternatives.length > 1) {
          return { start, end: i, alternatives };
        }
        break;
      } else if (c === ',' && depth === 1) {
        alternatives.push(p.slice(from, i));
        from = i + 1;
      }
    }
  }
  return undefined;
}
