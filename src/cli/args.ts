/** A command's parsed command line (parsed by main.ts with node:util parseArgs, strict). */
export interface Args {
  positionals: string[];
  options: Map<string, string | true>;
}

/** A string option, or undefined. */
export function opt(args: Args, name: string): string | undefined {
  const v = args.options.get(name);
  return v === true ? undefined : v;
}

/** A usage mistake found by a command (a bad value): exit code 2. */
export class UsageError extends Error {}
