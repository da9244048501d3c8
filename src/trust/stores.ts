// Trust stores: the OS store of each platform, NSS databases (Firefox, Chromium), Java's cacerts.
// Every change is a command (argv) shown to the user before it runs; every path and command comes
// from a TrustConfig, so tests point all of them at a sandbox and this computer's trust never moves.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { TrustCa } from './ca';

/** One command to run; `elevated` ones get `sudo` when not already root (Linux, macOS). */
export interface Step {
  argv: string[];
  elevated: boolean;
}

export type OsKind = 'debian' | 'fedora' | 'arch' | 'macos' | 'windows' | 'none';

/** Where the stores are and how they change. Defaults from `defaultConfig`; tests inject a sandbox. */
export interface TrustConfig {
  os: {
    kind: OsKind;
    /** debian/fedora: the folder of local anchors. */
    anchorDir?: string;
    /** debian/fedora: the command that rebuilds the bundle (install), and its uninstall form. */
    update?: string[];
    updateAfterRemove?: string[];
    /** The bundle the update produces (status reads it). */
    bundle?: string;
    /** macOS: the keychain. */
    keychain?: string;
    elevated?: boolean;
  };
  /** NSS database folders (each holds cert9.db). */
  nss: string[];
  /** Java: a keystore file, or undefined for the JDK's own (`-cacerts`); null when no keytool. */
  java: { keystore?: string; storepass: string; elevated: boolean } | null;
  /** Where installs are recorded, and where the CA copies the commands read are kept. */
  stateFile: string;
  /** Whether elevated steps get `sudo` (default: when not root, except on Windows). */
  sudo?: boolean;
}

/** Whether elevated steps of `config` run through sudo. */
export function needSudo(config: TrustConfig): boolean {
  return config.sudo ?? (process.platform !== 'win32' && typeof process.getuid === 'function' && process.getuid() !== 0);
}

/** A config from a JSON file (a sandbox: tests, dev); what it leaves out is empty, the state file is `base`'s. */
export function configFromFile(file: string, base: TrustConfig): TrustConfig {
  const given = JSON.parse(readFileSync(file, 'utf8')) as Partial<TrustConfig>;
  return { os: given.os ?? { kind: 'none' }, nss: given.nss ?? [], java: given.java ?? null, stateFile: given.stateFile ?? base.stateFile, ...(given.sudo === undefined ? {} : { sudo: given.sudo }) };
}

/** Lowercase hex fingerprints of a certificate. */
export type Fingerprints = Pick<TrustCa, 'sha256' | 'sha1'>;

/** One place a CA can be trusted. */
export interface Store {
  id: string;
  label: string;
  install(ca: TrustCa, caFile: string): Step[];
  /** The commands that undo `install` (recorded at install time). */
  uninstall(ca: TrustCa, caFile: string): Step[];
  /** Whether the store trusts this certificate now (looked up by fingerprint). */
  trusts(fp: Fingerprints): boolean;
}

const sha256 = (der: Uint8Array) => createHash('sha256').update(der).digest('hex');
const short = (ca: TrustCa) => ca.sha256.slice(0, 16);

function run(argv: string[]): { code: number | null; stdout: Buffer; stderr: string } {
  const r = spawnSync(argv[0], argv.slice(1), { stdio: ['ignore', 'pipe', 'pipe'] });
  return { code: r.error ? null : r.status, stdout: r.stdout ?? Buffer.alloc(0), stderr: r.stderr?.toString() ?? '' };
}

/** Whether `cmd` can be run (on PATH or a path). */
export function hasCommand(cmd: string): boolean {
  const dirs = cmd.includes('/') ? [''] : (process.env.PATH ?? '').split(process.platform === 'win32' ? ';' : ':');
  const exts = process.platform === 'win32' ? ['.exe', '.cmd', ''] : [''];
  return dirs.some((d) => exts.some((e) => existsSync(d ? join(d, cmd + e) : cmd + e)));
}

/** SHA-256 of every certificate in a PEM bundle. */
export function bundleFingerprints(text: string): Set<string> {
  const out = new Set<string>();
  for (const m of text.matchAll(/-----BEGIN CERTIFICATE-----([A-Za-z0-9+/=\s]+)-----END CERTIFICATE-----/g)) {
    out.add(sha256(Buffer.from(m[1].replace(/\s+/g, ''), 'base64')));
  }
  return out;
}

function fileTrusts(path: string | undefined, fp: string): boolean {
  try {
    return !!path && bundleFingerprints(readFileSync(path, 'latin1')).has(fp);
  } catch {
    return false;
  }
}

/** The OS store, as each platform does it. */
export function osStore(c: TrustConfig['os']): Store | undefined {
  const elevated = c.elevated ?? true;
  switch (c.kind) {
    case 'debian':
    case 'fedora': {
      const dir = c.anchorDir ?? (c.kind === 'debian' ? '/usr/local/share/ca-certificates' : '/etc/pki/ca-trust/source/anchors');
      const update = c.update ?? (c.kind === 'debian' ? ['update-ca-certificates'] : ['update-ca-trust', 'extract']);
      const after = c.updateAfterRemove ?? (c.kind === 'debian' ? [...update, '--fresh'] : update);
      // update-ca-certificates reads only *.crt there; update-ca-trust reads any PEM.
      const target = (ca: TrustCa) => join(dir, `ncloud-pki-${short(ca)}.${c.kind === 'debian' ? 'crt' : 'pem'}`);
      const bundle = c.bundle ?? (c.kind === 'debian' ? '/etc/ssl/certs/ca-certificates.crt' : '/etc/pki/tls/certs/ca-bundle.crt');
      return {
        id: `os:${c.kind}`,
        label: `${c.kind === 'debian' ? 'Debian/Ubuntu' : 'Fedora/RHEL'} system store (${dir})`,
        install: (ca, file) => [
          { argv: ['install', '-m', '0644', file, target(ca)], elevated },
          { argv: update, elevated },
        ],
        uninstall: (ca) => [
          { argv: ['rm', '-f', target(ca)], elevated },
          { argv: after, elevated },
        ],
        trusts: (fp) => fileTrusts(bundle, fp.sha256),
      };
    }
    case 'arch':
      return {
        id: 'os:arch',
        label: 'Arch system store (p11-kit trust)',
        install: (_ca, file) => [{ argv: ['trust', 'anchor', '--store', file], elevated }],
        uninstall: (_ca, file) => [{ argv: ['trust', 'anchor', '--remove', file], elevated }],
        trusts: (fp) => fileTrusts(c.bundle ?? '/etc/ssl/certs/ca-certificates.crt', fp.sha256),
      };
    case 'macos': {
      const keychain = c.keychain ?? join(process.env.HOME ?? '', 'Library/Keychains/login.keychain-db');
      return {
        id: 'os:macos',
        label: `macOS login keychain (${keychain})`,
        install: (_ca, file) => [{ argv: ['security', 'add-trusted-cert', '-r', 'trustRoot', '-k', keychain, file], elevated: false }],
        uninstall: (ca) => [{ argv: ['security', 'delete-certificate', '-Z', ca.sha1.toUpperCase(), '-t', keychain], elevated: false }],
        trusts: (fp) => {
          const r = run(['security', 'find-certificate', '-a', '-p', keychain]);
          return r.code === 0 && bundleFingerprints(r.stdout.toString('latin1')).has(fp.sha256);
        },
      };
    }
    case 'windows':
      return {
        id: 'os:windows',
        label: 'Windows current user Root store',
        install: (_ca, file) => [{ argv: ['certutil', '-user', '-addstore', 'Root', file], elevated: false }],
        uninstall: (ca) => [{ argv: ['certutil', '-user', '-delstore', 'Root', ca.sha1], elevated: false }],
        // certutil finds a certificate by its SHA-1 and exits 0 when it is in the store.
        trusts: (fp) => run(['certutil', '-user', '-store', 'Root', fp.sha1]).code === 0,
      };
    case 'none':
      return undefined;
  }
}

/** Nicknames and trust flags listed by `certutil -L`. */
function nssNicknames(db: string): string[] {
  const r = run(['certutil', '-L', '-d', `sql:${db}`]);
  if (r.code !== 0) {
    return [];
  }
  return r.stdout
    .toString('utf8')
    .split('\n')
    .map((l) => /^(.*\S)\s+[a-zA-Z]*,[a-zA-Z]*,[a-zA-Z]*\s*$/.exec(l)?.[1])
    .filter((n): n is string => !!n);
}

/** An NSS database (Firefox profile, Chromium's ~/.pki/nssdb) through NSS's certutil. */
export function nssStore(db: string): Store {
  const nick = (ca: TrustCa) => `ncloud-pki ${ca.name} ${short(ca)}`;
  return {
    id: `nss:${db}`,
    label: `NSS database ${db}`,
    install: (ca, file) => [{ argv: ['certutil', '-A', '-d', `sql:${db}`, '-t', 'C,,', '-n', nick(ca), '-i', file], elevated: false }],
    uninstall: (ca) => [{ argv: ['certutil', '-D', '-d', `sql:${db}`, '-n', nick(ca)], elevated: false }],
    trusts: (fp) =>
      nssNicknames(db).some((n) => {
        const r = run(['certutil', '-L', '-d', `sql:${db}`, '-n', n, '-r']);
        return r.code === 0 && sha256(r.stdout) === fp.sha256;
      }),
  };
}

/** Java's cacerts (or a given keystore) through keytool. */
export function javaStore(j: NonNullable<TrustConfig['java']>): Store {
  const where = j.keystore ? ['-keystore', j.keystore] : ['-cacerts'];
  const alias = (ca: TrustCa) => `ncloud-pki-${short(ca)}`;
  return {
    id: `java:${j.keystore ?? 'cacerts'}`,
    label: `Java ${j.keystore ? `keystore ${j.keystore}` : 'cacerts'}`,
    install: (ca, file) => [{ argv: ['keytool', '-importcert', '-noprompt', '-trustcacerts', '-alias', alias(ca), '-file', file, ...where, '-storepass', j.storepass], elevated: j.elevated }],
    uninstall: (ca) => [{ argv: ['keytool', '-delete', '-alias', alias(ca), ...where, '-storepass', j.storepass], elevated: j.elevated }],
    trusts: (fp) => {
      const r = run(['keytool', '-list', '-rfc', ...where, '-storepass', j.storepass]);
      return r.code === 0 && bundleFingerprints(r.stdout.toString('latin1')).has(fp.sha256);
    },
  };
}

/** NSS databases of Firefox and Chromium profiles under `home`. */
export function discoverNss(home: string, platform: NodeJS.Platform): string[] {
  const profiles = (dir: string) => {
    try {
      return readdirSync(dir).map((n) => join(dir, n));
    } catch {
      return [];
    }
  };
  const candidates =
    platform === 'darwin'
      ? profiles(join(home, 'Library/Application Support/Firefox/Profiles'))
      : platform === 'win32'
        ? profiles(join(process.env.APPDATA ?? join(home, 'AppData/Roaming'), 'Mozilla/Firefox/Profiles'))
        : [join(home, '.pki/nssdb'), join(home, 'snap/chromium/current/.pki/nssdb'), ...profiles(join(home, '.mozilla/firefox')), ...profiles(join(home, 'snap/firefox/common/.mozilla/firefox'))];
  return candidates.filter((d) => existsSync(join(d, 'cert9.db')));
}

/** The real stores of this computer (what `ncloud-pki trust` uses without a sandbox config). */
export function defaultConfig(home: string, platform: NodeJS.Platform, configDir: string): TrustConfig {
  let kind: OsKind = 'none';
  if (platform === 'darwin') {
    kind = 'macos';
  } else if (platform === 'win32') {
    kind = 'windows';
  } else if (hasCommand('update-ca-certificates') || existsSync('/usr/sbin/update-ca-certificates')) {
    kind = 'debian';
  } else if (hasCommand('update-ca-trust') || existsSync('/usr/bin/update-ca-trust')) {
    kind = 'fedora';
  } else if (hasCommand('trust')) {
    kind = 'arch';
  }
  // Windows ships its own certutil.exe: NSS is used there only when configured explicitly.
  const nss = platform !== 'win32' && hasCommand('certutil') ? discoverNss(home, platform) : [];
  return {
    os: { kind },
    nss,
    java: hasCommand('keytool') ? { storepass: 'changeit', elevated: platform !== 'win32' } : null,
    stateFile: join(configDir, 'trust.json'),
  };
}

/** The stores a config describes, OS first. */
export function storesOf(config: TrustConfig): Store[] {
  const os = osStore(config.os);
  return [...(os ? [os] : []), ...config.nss.map(nssStore), ...(config.java ? [javaStore(config.java)] : [])];
}

/** How a step reads on screen (as a shell line; `sudo` shown when it will be used). */
export function describeStep(step: Step, sudo: boolean): string {
  const q = (a: string) => (/^[\w@%+=:,./-]+$/.test(a) ? a : `'${a.replace(/'/g, `'\\''`)}'`);
  return [...(step.elevated && sudo ? ['sudo'] : []), ...step.argv].map(q).join(' ');
}

/** Runs one step (stdin inherited so sudo can ask for a password); throws with its stderr on failure. */
export function runStep(step: Step, sudo: boolean): void {
  const argv = step.elevated && sudo ? ['sudo', ...step.argv] : step.argv;
  const r = spawnSync(argv[0], argv.slice(1), { stdio: ['inherit', 'pipe', 'pipe'] });
  if (r.error || r.status !== 0) {
    throw new Error(`${describeStep(step, sudo)} failed${r.error ? `: ${r.error.message}` : ` (exit ${r.status})`}${r.stderr?.length ? `: ${r.stderr.toString().trim()}` : ''}`);
  }
}
