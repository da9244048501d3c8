// `ncloud-pki export CERT.pem --format p12|fullchain|k8s-secret|der --out FILE`: the formats servers
// want, from a certificate with its key (key.pem) and chain (chain.pem) beside it.
import { existsSync, readFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { buildExport, EXPORT_FORMATS, needsKey, type ExportFormat } from '../export';
import { opt, UsageError } from './args';
import type { CommandMain } from './main';

// `inspect` loads this bundle for PKCS#12, Java keystores and JWK (it holds the ASN.1 libraries).
export { certificatesPem, PasswordNeeded, readContainer } from '../export/containers';
import { refuseExisting, writeAtomic } from './files';
import { writeErr, writeOut } from './out';

function read(path: string, what: string): string {
  try {
    return readFileSync(path, 'latin1');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new Error(`cannot read the ${what} ${path}: ${code === 'ENOENT' ? 'no such file' : code === 'EACCES' ? 'permission denied' : (err as Error).message}`);
  }
}

/** Runs `export`; returns the exit code. */
export const main: CommandMain = async (_path, a) => {
  try {
    const [cert, extra] = a.positionals;
    const format = opt(a, 'format') as ExportFormat | undefined;
    const out = opt(a, 'out');
    if (!cert || extra !== undefined) {
      throw new UsageError('export takes one certificate file');
    }
    if (!format || !EXPORT_FORMATS.includes(format)) {
      throw new UsageError(`--format must be one of ${EXPORT_FORMATS.join(', ')}`);
    }
    if (!out) {
      throw new UsageError('--out FILE is required');
    }
    const force = a.options.has('force');
    refuseExisting(dirname(out), [basename(out)], force);
    const passwordVar = opt(a, 'password-env');
    let password: string | undefined;
    if (format === 'p12') {
      if (!passwordVar) {
        throw new UsageError('p12 needs --password-env VAR (the password is never taken on the command line)');
      }
      password = process.env[passwordVar];
      if (!password) {
        throw new Error(`the environment variable ${passwordVar} is not set or empty`);
      }
    }
    const beside = (name: string) => join(dirname(cert), name);
    const keyPath = opt(a, 'key') ?? (needsKey(format) ? beside('key.pem') : undefined);
    const chainPath = opt(a, 'chain') ?? (existsSync(beside('chain.pem')) && basename(cert) !== 'chain.pem' ? beside('chain.pem') : undefined);
    const result = await buildExport(
      {
        cert: new Uint8Array(readFileSync(cert)),
        key: keyPath && needsKey(format) ? read(keyPath, 'key') : undefined,
        chain: chainPath ? new Uint8Array(readFileSync(chainPath)) : undefined,
      },
      { format, password, legacy: a.options.has('legacy'), friendlyName: opt(a, 'name'), secretName: opt(a, 'name'), includeRoot: a.options.has('include-root') },
    );
    writeAtomic(out, result.content, result.secret ? 0o600 : 0o644);
    writeOut(`wrote ${out} (${format}, ${result.certificates} certificate${result.certificates === 1 ? '' : 's'}${result.secret ? ', private key, mode 0600' : ''}) for ${result.subject}\n`);
    if (format === 'p12' && password && /[^\x20-\x7e]/.test(password)) {
      writeErr('note: the password has non-ASCII characters; Java keytool cannot open such PKCS#12 files\n');
    }
    return 0;
  } catch (err) {
    if (err instanceof UsageError) {
      writeErr(`ncloud-pki: ${err.message}\nrun 'ncloud-pki export --help' for usage\n`);
      return 2;
    }
    writeErr(`ncloud-pki: ${(err as Error).message}\n`);
    return 1;
  }
};
