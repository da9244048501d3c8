/** Parsed command line: positionals and `--flag value` / `--flag` options. */
export interface Args {
  positionals: string[];
  options: Map<string, string | true>;
}

/** Parses argv; `booleans` name the flags that take no value. */
export function parseArgs(argv: string[], booleans: string[] = []): Args {
  const positionals: string[] = [];
  const options = new Map<string, string | true>();
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a.startsWith('--')) {
      const eq = a.indexOf('=');
      if (eq > 0) {
        options.set(a.slice(2, eq), a.slice(eq + 1));
      } else if (booleans.includes(a.slice(2)) || i + 1 >= argv.length || argv[i + 1].startsWith('--')) {
        options.set(a.slice(2), true);
      } else {
        options.set(a.slice(2), argv[++i]);
      }
    } else {
      positionals.push(a);
    }
  }
  return { positionals, options };
}

/** A string option, or undefined. Throws when given without a value. */
export function opt(args: Args, name: string): string | undefined {
  const v = args.options.get(name);
  if (v === true) {
    throw new UsageError(`--${name} needs a value`);
  }
  return v;
}

/** A usage mistake: printed with the usage text, exit code 2. */
export class UsageError extends Error {}
