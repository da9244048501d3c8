// `{a,b}` alternatives of VS Code's glob patterns (files.exclude, search.exclude), expanded into
// the plain patterns gitignore syntax (the `ignore` package) reads: `**/*.{key,bak}` becomes
// `**/*.key` and `**/*.bak`. Groups may nest. Only commas separate: VS Code's globs have no
// `{1..3}` ranges, so none are expanded here. A `{` with no matching `}` or no comma stays as it is.

/** Most patterns one pattern expands to; past it the pattern is kept as it is (never matches a brace-less path). */
const MAX = 256;

/** The patterns `pattern`'s brace groups stand for (itself when it has none). */
export function expandBraces(pattern: string): string[] {
  const group = firstGroup(pattern);
  if (!group) {
    return [pattern];
  }
  const head = pattern.slice(0, group.start);
  const tail = pattern.slice(group.end + 1);
  const out: string[] = [];
  for (const alternative of group.alternatives) {
    out.push(...expandBraces(head + alternative + tail));
    if (out.length > MAX) {
      return [pattern];
    }
  }
  return out;
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
