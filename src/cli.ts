// `ncloud-pki`: subcommands over the same core as the extension. Each subcommand lives in src/cli/.
import { run } from './cli/main';
import { writeErr } from './cli/out';

run(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    writeErr(`ncloud-pki: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exitCode = 1;
  },
);
