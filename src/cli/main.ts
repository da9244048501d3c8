// The `ncloud-pki` entry: finds the command in the table (spec.ts), parses its options with
// node:util parseArgs in strict mode, answers --help / --version / completion itself, and only
// then loads the one bundle that runs the command (dist/cli-inspect.js, cli-export.js, cli-scan.js, cli-api.js or
// cli-emulator.js), so help, usage errors and `inspect` never compile the HTTP stack.
import { join } from 'node:path';
import { parseArgs, type ParseArgsConfig } from 'node:util';
import type { Args } from './args';
import { completion } from './completion';
import { CLI, COMMON, EXIT_CODES, type CommandSpec, type OptionSpec } from './spec';
import { writeErr, writeOut } from './out';

declare const NCLOUD_PKI_VERSION: string;
const VERSION = typeof NCLOUD_PKI_VERSION === 'string' ? NCLOUD_PKI_VERSION : '0.0.0-dev';
const PROG = 'ncloud-pki';

/** What a command bundle exports: runs the command at `path` with parsed arguments (`argv`: the
 * words after the command, already checked against the table, for commands that parse their own). */
export type CommandMain = (path: string[], args: Args, argv: string[]) => Promise<number>;

/** Loads a command bundle beside this one (the build emits it as dist/cli-<name>.js). */
function load(bundle: NonNullable<CommandSpec['bundle']>): CommandMain {
  // A path computed at run time, so esbuild leaves the bundle separate.
  const file = join(__dirname, `cli-${bundle}.js`);
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return (require(file) as { main: CommandMain }).main;
}

/** Runs the CLI with argv (without node and script) and returns the exit code. */
export async function run(argv: string[]): Promise<number> {
  if (argv[0] === '--version' || argv[0] === '-V') {
    writeOut(`${VERSION}\n`);
    return 0;
  }
  // Walk down the command table by the leading words.
  const path: string[] = [];
  let node = CLI;
  let i = 0;
  while (node.subcommands && i < argv.length && !argv[i].startsWith('-')) {
    const name = argv[i];
    const next: CommandSpec | undefined = node.subcommands[name];
    if (!next) {
      return usage(path, `unknown command '${[...path, name].join(' ')}'${didYouMean(name, Object.keys(node.subcommands))}`);
    }
    path.push(name);
    node = next;
    i++;
  }
  const rest = argv.slice(i);
  if (path[0] === 'help' && path.length === 1) {
    return helpFor(rest);
  }
  if (node.subcommands) {
    // A group (or the program) without its command: --help is an answer, anything else a mistake.
    if (rest.length > 0 && (rest[0] === '--help' || rest[0] === '-h')) {
      writeOut(help(path, node));
      return 0;
    }
    if (rest.length > 0) {
      return usage(path, unknownOption(rest[0], { ...COMMON, ...(path.length === 0 ? { version: { type: 'boolean', help: '' } } : {}) }));
    }
    writeErr(help(path, node));
    return 2;
  }
  const options: Record<string, OptionSpec> = { ...node.options, ...COMMON };
  const config: ParseArgsConfig = { args: rest, options: toParseArgs(options), allowPositionals: true };
  // First a lenient pass: --help anywhere wins, and an unknown option gets a suggestion.
  const { tokens } = parseArgs({ ...config, strict: false, tokens: true });
  for (const t of tokens ?? []) {
    if (t.kind === 'option' && t.name === 'help') {
      writeOut(help(path, node));
      return 0;
    }
  }
  for (const t of tokens ?? []) {
    if (t.kind === 'option' && !options[t.name] && !Object.values(options).some((o) => o.short === t.name)) {
      return usage(path, unknownOption(t.rawName, options));
    }
  }
  let parsed;
  try {
    parsed = parseArgs({ ...config, strict: true });
  } catch (err) {
    return usage(path, (err as Error).message.replace(/\. To specify a positional argument.*$/s, ''));
  }
  const problem = checkPositionals(node.args ?? [], parsed.positionals);
  if (problem) {
    return usage(path, problem);
  }
  if (path[0] === 'completion') {
    writeOut(completion(parsed.positionals[0] as 'bash' | 'zsh', PROG, CLI, COMMON));
    return 0;
  }
  const values = new Map<string, string | true>();
  for (const [k, v] of Object.entries(parsed.values)) {
    if (typeof v === 'string') {
      values.set(k, v);
    } else if (v === true) {
      values.set(k, true);
    }
  }
  // The API commands see their verbs as the first positionals (`ca users add TAG ID` → ['users', 'add', 'TAG', 'ID']).
  return load(node.bundle!)(path, { positionals: node.bundle === 'api' ? [...path.slice(1), ...parsed.positionals] : parsed.positionals, options: values }, rest);
}

function toParseArgs(options: Record<string, OptionSpec>): NonNullable<ParseArgsConfig['options']> {
  const out: NonNullable<ParseArgsConfig['options']> = {};
  for (const [name, o] of Object.entries(options)) {
    out[name] = { type: o.type, ...(o.short ? { short: o.short } : {}), ...(o.multiple ? { multiple: true } : {}) };
  }
  return out;
}

/** `missing TAG`, `unexpected argument 'x'`, or undefined when the positionals fit. */
function checkPositionals(spec: string[], got: string[]): string | undefined {
  const variadic = spec.some((s) => s.includes('...'));
  const required = spec.filter((s) => !s.startsWith('['));
  if (got.length < required.length) {
    return `missing ${required[got.length].replace(/\.\.\.$/, '')}`;
  }
  if (!variadic && got.length > spec.length) {
    return `unexpected argument '${got[spec.length]}'`;
  }
  if (spec[0] === 'bash|zsh' && !['bash', 'zsh'].includes(got[0])) {
    return `completion is for bash or zsh, not '${got[0]}'`;
  }
  return undefined;
}

function unknownOption(raw: string, options: Record<string, OptionSpec>): string {
  const name = raw.replace(/^-+/, '').replace(/=.*$/, '');
  return `unknown option '${raw.replace(/=.*$/, '')}'${didYouMean(name, Object.keys(options), '--')}`;
}

/** `; did you mean '--snap'?` for the nearest candidate, when it is near enough to be a typo. */
export function didYouMean(word: string, candidates: string[], prefix = ''): string {
  let best: string | undefined;
  let bestD = Infinity;
  for (const c of candidates) {
    const d = c.startsWith(word) && word.length >= 2 ? 1 : distance(word, c);
    if (d < bestD) {
      best = c;
      bestD = d;
    }
  }
  return best !== undefined && bestD <= Math.max(2, Math.floor(word.length / 3)) ? `; did you mean '${prefix}${best}'?` : '';
}

/** Damerau–Levenshtein distance (optimal string alignment): a swap of two letters counts one. */
function distance(a: string, b: string): number {
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) => [i, ...Array<number>(b.length).fill(0)]);
  for (let j = 1; j <= b.length; j++) {
    d[0][j] = j;
  }
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
        d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
      }
    }
  }
  return d[a.length][b.length];
}

/** A usage mistake: the message, where to find help, exit code 2. */
function usage(path: string[], message: string): number {
  writeErr(`${PROG}: ${message}\nrun '${[PROG, ...path].join(' ')} --help' for usage\n`);
  return 2;
}

/** `ncloud-pki help [COMMAND...]`. */
function helpFor(words: string[]): number {
  const names = words.filter((x) => x !== '--help' && x !== '-h');
  if (names.length === 0 && words.length > 0) {
    writeOut(help(['help'], CLI.subcommands!.help));
    return 0;
  }
  let node = CLI;
  const path: string[] = [];
  for (const w of names) {
    const next = node.subcommands?.[w];
    if (!next) {
      return usage(path, `unknown command '${[...path, w].join(' ')}'${didYouMean(w, Object.keys(node.subcommands ?? {}))}`);
    }
    path.push(w);
    node = next;
  }
  writeOut(help(path, node));
  return 0;
}

/** Help text for a command or group. */
export function help(path: string[], node: CommandSpec): string {
  const name = [PROG, ...path].join(' ');
  const rows = (entries: [string, string][]): string[] => {
    const width = Math.min(28, Math.max(...entries.map(([k]) => k.length)) + 2);
    return entries.map(([k, v]) => `  ${k.padEnd(width)}${v}`);
  };
  const lines: string[] = [];
  if (node.subcommands) {
    lines.push(`usage: ${name} <command> [options]`, '', node.summary, '', 'commands:');
    lines.push(...rows(Object.entries(node.subcommands).map(([k, c]) => [`${k}${c.subcommands ? ' ...' : ''}`, c.summary])));
    lines.push('', 'options:');
    lines.push(...rows([['-h, --help', 'show help (also after any command)'], ...(path.length === 0 ? [['-V, --version', 'print the version'] as [string, string]] : [])]));
    lines.push('', `run '${name} <command> --help' for a command's options.`);
    if (path.length === 0) {
      lines.push('', 'environment:', '  NCP_ACCESS_KEY, NCP_SECRET_KEY   credentials for the API commands (the local emulator:', '                                   EMULATOR-ACCESS-KEY / EMULATOR-SECRET-KEY)', '', EXIT_CODES);
    }
  } else {
    const args = (node.args ?? []).join(' ');
    lines.push(`usage: ${name}${args ? ` ${args}` : ''} [options]`, '', node.summary, '', 'options:');
    const opts = { ...node.options, ...COMMON };
    lines.push(...rows(Object.entries(opts).map(([k, o]) => [`${o.short ? `-${o.short}, ` : ''}--${k}${o.value ? ` ${o.value}` : ''}`, o.help])));
    if (node.note) {
      lines.push('', node.note);
    }
    if (node.bundle === 'api') {
      lines.push('', 'credentials: NCP_ACCESS_KEY and NCP_SECRET_KEY');
    }
    if (path[0] === 'completion') {
      lines.push('', 'bash:  source <(ncloud-pki completion bash)        (or save it in ~/.local/share/bash-completion/completions/ncloud-pki)', 'zsh:   source <(ncloud-pki completion zsh)         (after compinit, e.g. in ~/.zshrc)');
    }
  }
  return `${lines.join('\n')}\n`;
}
