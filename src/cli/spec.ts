// What `ncloud-pki` accepts: every command, subcommand, option and positional, in one table that
// drives parsing (node:util parseArgs, strict), `--help`, suggestions and shell completion. It
// lives in the small entry bundle, so help and usage errors never load a command's code.

export interface OptionSpec {
  type: 'string' | 'boolean';
  /** Placeholder shown in help, e.g. DIR. */
  value?: string;
  help: string;
  /** Completes with file names (`file`) or folder names (`dir`), or from a fixed list. */
  complete?: 'file' | 'dir' | readonly string[];
  /** May be given more than once. */
  multiple?: boolean;
  short?: string;
}

export interface CommandSpec {
  summary: string;
  /** Positionals as shown in usage: `TAG`, `[SERIAL]`, `FILE...`. */
  args?: string[];
  options?: Record<string, OptionSpec>;
  subcommands?: Record<string, CommandSpec>;
  /** A paragraph printed after the options in --help. */
  note?: string;
  /** Which bundle runs it (a leaf only). */
  bundle?: 'inspect' | 'export' | 'scan' | 'api' | 'emulator' | 'trust';
}

const JSON_OPT: OptionSpec = { type: 'boolean', help: 'print the response data as JSON (for scripts)' };
const API: Record<string, OptionSpec> = {
  endpoint: { type: 'string', value: 'URL', help: 'API origin, e.g. the local emulator http://127.0.0.1:8787' },
  site: { type: 'string', value: 'SITE', help: 'NCP site: public (default), gov or fin', complete: ['public', 'gov', 'fin'] },
  record: { type: 'string', value: 'DIR', help: 'write each request and answer to DIR as JSON, without keys, signatures or private keys (docs/testing.md)', complete: 'dir' },
  json: JSON_OPT,
};
const KEY_TYPES = ['EC256', 'EC384', 'RSA2048', 'RSA4096'] as const;
const PAGE: Record<string, OptionSpec> = { page: { type: 'string', value: 'N', help: 'page number (default 1)' } };
const OUT_FILE: Record<string, OptionSpec> = { out: { type: 'string', value: 'FILE', help: 'write the PEM to FILE instead of printing it', complete: 'file' } };
const FORCE: OptionSpec = { type: 'boolean', help: 'replace existing files' };
const OUT_DIR: OptionSpec = { type: 'string', value: 'DIR', help: 'folder for cert.pem, key.pem, chain.pem (required)', complete: 'dir' };
const PERIOD: OptionSpec = { type: 'string', value: 'DAYS', help: 'validity in days' };

function api(summary: string, args: string[] = [], options: Record<string, OptionSpec> = {}): CommandSpec {
  return { summary, args, options: { ...options, ...API }, bundle: 'api' };
}

function trust(summary: string, options: Record<string, OptionSpec>): CommandSpec {
  return {
    summary,
    options: {
      ...options,
      file: { type: 'string', value: 'CA.pem', help: 'the CA certificate (from a chain file: its root)', complete: 'file' },
      ca: { type: 'string', value: 'TAG', help: 'the CA with this tag, fetched from --endpoint / --site' },
      endpoint: API.endpoint,
      site: API.site,
      stores: { type: 'string', value: 'FILE', help: 'a JSON TrustConfig (os, nss, java, stateFile) instead of this computer’s stores (default $NCLOUD_PKI_TRUST_CONFIG)', complete: 'file' },
    },
    note: 'The trust record lives in the user config folder (~/.config/ncloud-pki/trust.json on Linux).',
    bundle: 'trust',
  };
}

export const CLI: CommandSpec = {
  summary: 'NAVER Cloud Platform Private CA and Certificate Manager from the command line',
  subcommands: {
    inspect: {
      summary: 'decode and lint PEM/DER files, or the chain a TLS server presents (https://HOST[:PORT], tls://HOST:PORT)',
      args: ['FILE|URL...'],
      options: {
        json: { type: 'boolean', help: 'print one JSON object per block (for scripts)' },
        'expiry-days': { type: 'string', value: 'N', help: 'warn when a certificate expires within N days (default 30)' },
        servername: { type: 'string', value: 'NAME', help: 'TLS: the server name to send (SNI) and to match (default: the URL host)' },
        ca: { type: 'string', value: 'FILE', help: 'TLS: also trust the CA certificates in FILE when verifying the chain', complete: 'file' },
        'max-size': { type: 'string', value: 'SIZE', help: 'refuse files larger than SIZE (default 256M; K, M, G)' },
        'password-env': { type: 'string', value: 'VAR', help: 'PKCS#12 / Java keystore: the environment variable holding the password' },
      },
      bundle: 'inspect',
    },
    export: {
      summary: 'PKCS#12, fullchain, Kubernetes TLS Secret or DER from a certificate and its key',
      args: ['CERT.pem'],
      options: {
        format: { type: 'string', value: 'FORMAT', help: 'p12, fullchain, k8s-secret or der (required)', complete: ['p12', 'fullchain', 'k8s-secret', 'der'] },
        out: { type: 'string', value: 'FILE', help: 'where to write (required)', complete: 'file' },
        key: { type: 'string', value: 'KEY.pem', help: 'the private key (default: key.pem beside the certificate)', complete: 'file' },
        chain: { type: 'string', value: 'CHAIN.pem', help: 'issuers to include (default: chain.pem beside the certificate, when there)', complete: 'file' },
        'password-env': { type: 'string', value: 'VAR', help: 'p12: the environment variable holding the password' },
        legacy: { type: 'boolean', help: 'p12: 3DES/SHA-1 for Windows before 10 1709 and Java before 8u301' },
        name: { type: 'string', value: 'NAME', help: 'p12: the alias (friendlyName); k8s-secret: metadata.name' },
        'include-root': { type: 'boolean', help: 'fullchain: append the root certificate too' },
        force: { type: 'boolean', help: 'replace FILE if it exists' },
      },
      bundle: 'export',
    },
    scan: {
      summary: 'find every certificate, CSR, CRL and key in a tree (--json, --sarif, CI exit codes)',
      args: ['[PATH...]'],
      options: {
        exclude: { type: 'string', multiple: true, value: 'GLOB', help: 'skip paths matching GLOB (gitignore syntax, {a,b} groups; repeatable)' },
        json: { type: 'boolean', help: 'one JSON object per block (the inspect --json fields, with file)' },
        sarif: { type: 'boolean', help: 'SARIF 2.1.0 on stdout, for code scanning' },
        'expiring-within': { type: 'string', value: 'DAYS', help: 'exit 1 when a certificate expires within DAYS (also the warning window)' },
        'fail-on': { type: 'string', value: 'CODE[,CODE]', help: 'exit 1 when a finding with one of these codes is found (codes: docs/findings.md)' },
      },
      note: 'Honours .gitignore. Exit codes: 0 nothing matched, 1 matched, 2 usage error.',
      bundle: 'scan',
    },
    trust: {
      summary: 'trust a dev CA on this computer: install, uninstall, status',
      subcommands: {
        install: trust('trust the CA in the OS store, NSS databases and Java (commands shown, then asked)', {
          yes: { type: 'boolean', help: 'run the commands without asking (needed when stdin is not a terminal)' },
          only: { type: 'string', value: 'os,nss,java', help: 'only these kinds of store' },
        }),
        uninstall: trust('remove exactly what trust install recorded (no CA given: everything recorded)', {
          yes: { type: 'boolean', help: 'run the commands without asking (needed when stdin is not a terminal)' },
        }),
        status: trust('where the CA is trusted (by fingerprint), and which runtimes would accept it', { json: { type: 'boolean', help: 'print the report as JSON' } }),
      },
    },
    emulator: {
      summary: 'run the local NCP emulator on loopback',
      note: 'The published default keys are accepted on loopback only: a non-loopback --host needs your own\nkeys. NCLOUD_PKI_EMULATOR_ACCESS_KEY / NCLOUD_PKI_EMULATOR_SECRET_KEY keep them out of `ps`.',
      options: {
        host: { type: 'string', value: 'HOST', help: 'address to listen on (default 127.0.0.1)' },
        port: { type: 'string', value: 'PORT', help: 'port (default 8787; 0 picks a free one)' },
        data: { type: 'string', value: 'DIR', help: 'state folder (default ~/.ncloud-pki/emulator)', complete: 'dir' },
        'access-key': { type: 'string', value: 'KEY', help: 'access key to accept (default $NCLOUD_PKI_EMULATOR_ACCESS_KEY, else EMULATOR-ACCESS-KEY)' },
        'secret-key': { type: 'string', value: 'KEY', help: 'secret key to accept (default $NCLOUD_PKI_EMULATOR_SECRET_KEY, else EMULATOR-SECRET-KEY)' },
        'allow-host': { type: 'string', value: 'NAME[,NAME]', help: 'Host headers accepted besides addresses and localhost' },
        'clock-offset': { type: 'string', value: 'DURATION', help: 'emulator-only: shift the PKI clock, e.g. -400d, +2h (mint expired or not-yet-valid certificates; signing keeps real time)' },
        'gateway-skew': { type: 'string', value: 'DURATION', help: 'emulator-only: shift the gateway clock and Date header, to rehearse clock-skew errors' },
        'read-only-key': { type: 'string', value: 'AK:SK', help: 'emulator-only: also accept this key, for reading only (writes get Permission Denied)' },
        'no-permission-key': { type: 'string', value: 'AK:SK', help: 'emulator-only: also accept this key, with no permission at all' },
        quiet: { type: 'boolean', help: 'do not log requests' },
      },
      bundle: 'emulator',
    },
    doctor: {
      summary: 'check a profile: both APIs reached, signature accepted, clock skew, permission to list',
      options: API,
      note: 'Exit codes: 0 all good, 1 something is wrong (each failing check says what to do).',
      bundle: 'api',
    },
    ca: {
      summary: 'Private CA: list, get, create, status, delete, chain, users',
      subcommands: {
        list: api('list CAs', [], PAGE),
        get: api('show one CA', ['TAG']),
        create: api('create a root or subordinate CA', [], {
          type: { type: 'string', value: 'root|sub', help: 'root or subordinate (required)', complete: ['root', 'sub'] },
          issuer: { type: 'string', value: 'TAG', help: 'issuing CA of a subordinate' },
          alias: { type: 'string', value: 'NAME', help: 'alias (required)' },
          cn: { type: 'string', value: 'NAME', help: 'common name (required)' },
          'key-type': { type: 'string', value: 'TYPE', help: 'EC256 (default), EC384, RSA2048, RSA4096', complete: KEY_TYPES },
          period: { type: 'string', value: 'DAYS|MAX', help: 'validity (default 3650 for a root, 1825 for a subordinate)' },
          org: { type: 'string', value: 'O', help: 'organization' },
          ou: { type: 'string', value: 'U', help: 'organizational unit' },
          country: { type: 'string', value: 'C', help: 'two-letter country code' },
          locality: { type: 'string', value: 'L', help: 'locality' },
          state: { type: 'string', value: 'S', help: 'state or province' },
          street: { type: 'string', value: 'S', help: 'street address' },
          memo: { type: 'string', value: 'TEXT', help: 'memo' },
        }),
        status: api('activate, deactivate or destroy a CA', ['TAG', 'ACTIVE|DEACTIVATED|DESTROYING']),
        delete: api('delete a destroyed CA', ['TAG']),
        chain: api('print or save the CA chain', ['TAG'], OUT_FILE),
        users: {
          summary: 'sub accounts allowed to use a CA: list, add, remove',
          subcommands: {
            list: api('list the sub accounts allowed to use the CA', ['TAG']),
            add: api('allow a sub account to use the CA', ['TAG', 'IDNO']),
            remove: api('stop a sub account from using the CA', ['TAG', 'IDNO']),
          },
        },
      },
    },
    cert: {
      summary: 'certificates: list, get, issue, sign, revoke',
      subcommands: {
        list: api('list serial numbers issued by a CA', ['TAG'], PAGE),
        get: api('show one certificate', ['TAG', 'SERIAL']),
        issue: api('issue a certificate with a new key', ['TAG'], {
          cn: { type: 'string', value: 'NAME', help: 'common name (required)' },
          san: { type: 'string', value: 'a,b', help: 'DNS names' },
          ip: { type: 'string', value: 'x,y', help: 'IP addresses' },
          'key-type': { type: 'string', value: 'TYPE', help: 'EC256 (default), EC384, RSA2048, RSA4096', complete: KEY_TYPES },
          period: PERIOD,
          out: OUT_DIR,
          force: FORCE,
        }),
        sign: api('sign a CSR', ['TAG'], {
          csr: { type: 'string', value: 'FILE', help: 'the CSR in PEM (required)', complete: 'file' },
          period: PERIOD,
          out: OUT_DIR,
          force: FORCE,
        }),
        revoke: api('revoke a certificate', ['TAG', 'SERIAL']),
      },
    },
    crl: {
      summary: 'CRLs: get, rotate',
      subcommands: {
        get: api('print or save the current CRL', ['TAG'], OUT_FILE),
        rotate: api('issue a new CRL now', ['TAG']),
      },
    },
    cm: {
      summary: 'Certificate Manager: list, reissue',
      subcommands: {
        list: api('list certificates'),
        reissue: api('reissue a certificate from a CSR', ['NO'], {
          csr: { type: 'string', value: 'FILE', help: 'the CSR in PEM (required)', complete: 'file' },
          cn: { type: 'string', value: 'NAME', help: 'common name (required)' },
          name: { type: 'string', value: 'NAME', help: 'certificate name (default: the common name)' },
          dns: { type: 'string', value: 'a,b', help: 'DNS names (default: the common name)' },
          validation: { type: 'string', value: 'D|E', help: 'D: DNS CNAME (default), E: e-mail', complete: ['D', 'E'] },
        }),
      },
    },
    completion: { summary: 'print a shell completion script', args: ['bash|zsh'] },
    help: { summary: 'show help for a command', args: ['[COMMAND...]'] },
  },
};

/** Options every command takes. */
export const COMMON: Record<string, OptionSpec> = {
  help: { type: 'boolean', short: 'h', help: 'show this help' },
};

export const EXIT_CODES = `exit codes:
  0  success
  1  the command failed (NCP or the emulator refused, a file could not be read or written)
  2  usage error (unknown command or option, missing or invalid argument)`;
