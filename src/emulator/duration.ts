// Emulator-only durations (`--clock-offset`, `--gateway-skew`, "Set Local Emulator Clock…"): `-400d`,
// `+2h`, `10m`, `30s`, `500ms`, or `0`. Plain functions, no imports: the extension's activation
// bundle imports this file alone.

const UNITS = { d: 86_400_000, h: 3_600_000, m: 60_000, s: 1000, ms: 1 } as const;

/** Milliseconds of a duration like `-400d`, `+2h`, `10m`, `30s`, `500ms` or `0`; undefined when malformed. */
export function parseDuration(s: string): number | undefined {
  const t = s.trim();
  if (/^[+-]?0$/.test(t)) {
    return 0;
  }
  const m = /^([+-]?)(\d+)(ms|s|m|h|d)$/.exec(t);
  if (!m) {
    return undefined;
  }
  return (m[1] === '-' ? -1 : 1) * Number(m[2]) * UNITS[m[3] as keyof typeof UNITS];
}

/** The shortest duration text for `ms` in the largest unit that divides it (`-400d`, `+2h`, `0`). */
export function formatDuration(ms: number): string {
  if (ms === 0) {
    return '0';
  }
  const sign = ms < 0 ? '-' : '+';
  const abs = Math.abs(ms);
  for (const [unit, size] of Object.entries(UNITS)) {
    if (abs % size === 0) {
      return `${sign}${abs / size}${unit}`;
    }
  }
  return `${sign}${abs}ms`;
}
