/** A subcommand: gets its own argv (after the subcommand name) and returns an exit code. */
export type Subcommand = (argv: string[]) => Promise<number>;

const USAGE = `usage: ncloud-pki <command> [options]

commands:
  emulator             run the local NCP emulator (listening on 127.0.0.1:8787)
  ca ...               Private CA: list, get, create, status, delete, chain, users
  cert ...             certificates: list, get, issue, sign, revoke
  crl ...              CRLs: get, rotate
  cm ...               Certificate Manager: list, reissue
  inspect FILE...      decode and lint PEM/DER files (--json for scripts)
  export CERT.pem      PKCS#12, fullchain, Kubernetes TLS Secret or DER (--format, --out)
  scan [PATH...]       find every certificate and key in a tree (--json, --sarif, CI exit codes)
  help                 this text
`;

/** Subcommands by name; each module registers lazily so `--help` costs nothing. */
const subcommands: Record<string, () => Promise<Subcommand>> = {
  inspect: async () => (await import('./inspect')).inspect,
  export: async () => (await import('./export')).exportCommand,
  scan: async () => (await import('./scan')).scan,
  emulator: async () => (await import('./emulator')).emulator,
  ca: async () => (await import('./api')).caCommand,
  cert: async () => (await import('./api')).certCommand,
  crl: async () => (await import('./api')).crlCommand,
  cm: async () => (await import('./api')).cmCommand,
};

/** Runs the CLI with argv (without node and script) and returns the exit code. */
export async function run(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === 'help' || name === '--help' || name === '-h') {
    process.stdout.write(USAGE);
    return name ? 0 : 2;
  }
  const load = subcommands[name];
  if (!load) {
    process.stderr.write(`ncloud-pki: unknown command '${name}'\n${USAGE}`);
    return 2;
  }
  return (await load())(rest);
}
