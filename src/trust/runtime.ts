// Beyond the stores: would the runtimes a developer uses accept a certificate from this CA, and
// which setting fixes the ones that would not? Reads the environment only; changes nothing.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { bundleFingerprints } from './stores';

/** Why a runtime accepts or rejects, as data: the extension says it in the user's language, the CLI prints `why`. */
export type RuntimeReason =
  | { id: 'env-holds' | 'env-lacks'; setting: string }
  | { id: 'node-default' | 'requests-default' | 'os-trusts' | 'os-lacks' | 'java-holds' | 'java-lacks' | 'vscode-os' | 'vscode-no-os' };

export interface RuntimeCheck {
  runtime: string;
  accepts: boolean;
  why: string;
  reason: RuntimeReason;
  /** The exact line to add (a terminal `export`, a `.env` line or a setting), when it would reject. */
  fix?: string;
}

function fileHas(path: string, sha256: string): boolean {
  try {
    return bundleFingerprints(readFileSync(path, 'latin1')).has(sha256);
  } catch {
    return false;
  }
}

function dirHas(dir: string, sha256: string): boolean {
  try {
    return readdirSync(dir).some((n) => fileHas(join(dir, n), sha256));
  } catch {
    return false;
  }
}

/**
 * `osTrusts`: the OS store trusts the CA now; `osBundle`: that store's PEM bundle, if it has one;
 * `java`: whether Java's store trusts it (undefined without keytool); `caFile`: a PEM of the CA.
 */
export function runtimeChecks(env: NodeJS.ProcessEnv, sha256: string, caFile: string, osTrusts: boolean, osBundle: string | undefined, java: boolean | undefined): RuntimeCheck[] {
  const out: RuntimeCheck[] = [];
  const node = env.NODE_EXTRA_CA_CERTS;
  out.push(
    node
      ? fileHas(node, sha256)
        ? { runtime: 'Node.js', accepts: true, why: `NODE_EXTRA_CA_CERTS=${node} holds the CA`, reason: { id: 'env-holds', setting: `NODE_EXTRA_CA_CERTS=${node}` } }
        : { runtime: 'Node.js', accepts: false, why: `NODE_EXTRA_CA_CERTS=${node} does not hold the CA`, reason: { id: 'env-lacks', setting: `NODE_EXTRA_CA_CERTS=${node}` }, fix: `export NODE_EXTRA_CA_CERTS=${caFile}` }
      : { runtime: 'Node.js', accepts: false, why: 'Node uses its own copy of the public roots, not the OS store, unless NODE_EXTRA_CA_CERTS is set', reason: { id: 'node-default' }, fix: `export NODE_EXTRA_CA_CERTS=${caFile}   (or the .env line NODE_EXTRA_CA_CERTS=${caFile})` },
  );
  const requests = env.REQUESTS_CA_BUNDLE;
  // REQUESTS_CA_BUNDLE replaces the bundle: point it at the OS bundle (public roots + the CA) when there is one.
  const requestsFix = `export REQUESTS_CA_BUNDLE=${osTrusts && osBundle ? osBundle : caFile}`;
  out.push(
    requests
      ? fileHas(requests, sha256)
        ? { runtime: 'Python requests', accepts: true, why: `REQUESTS_CA_BUNDLE=${requests} holds the CA`, reason: { id: 'env-holds', setting: `REQUESTS_CA_BUNDLE=${requests}` } }
        : { runtime: 'Python requests', accepts: false, why: `REQUESTS_CA_BUNDLE=${requests} does not hold the CA`, reason: { id: 'env-lacks', setting: `REQUESTS_CA_BUNDLE=${requests}` }, fix: requestsFix }
      : { runtime: 'Python requests', accepts: false, why: 'requests uses certifi’s bundle, not the OS store, unless REQUESTS_CA_BUNDLE is set', reason: { id: 'requests-default' }, fix: requestsFix },
  );
  const file = env.SSL_CERT_FILE;
  const dir = env.SSL_CERT_DIR;
  if (file || dir) {
    const ok = (file ? fileHas(file, sha256) : false) || (dir ? dir.split(':').some((d) => dirHas(d, sha256)) : false);
    const setting = [file && `SSL_CERT_FILE=${file}`, dir && `SSL_CERT_DIR=${dir}`].filter(Boolean).join(', ');
    out.push({
      runtime: 'curl / OpenSSL',
      accepts: ok,
      why: `${setting} ${ok ? 'holds' : 'does not hold'} the CA`,
      reason: { id: ok ? 'env-holds' : 'env-lacks', setting },
      ...(ok ? {} : { fix: osBundle ? `export SSL_CERT_FILE=${osBundle}` : `export SSL_CERT_FILE=${caFile}` }),
    });
  } else {
    out.push({ runtime: 'curl / OpenSSL', accepts: osTrusts, why: osTrusts ? 'they read the OS store, which trusts the CA' : 'they read the OS store, which does not trust the CA', reason: { id: osTrusts ? 'os-trusts' : 'os-lacks' }, ...(osTrusts ? {} : { fix: 'ncloud-pki trust install' }) });
  }
  if (java !== undefined) {
    out.push({ runtime: 'Java', accepts: java, why: java ? 'its cacerts holds the CA' : 'its cacerts does not hold the CA', reason: { id: java ? 'java-holds' : 'java-lacks' }, ...(java ? {} : { fix: 'ncloud-pki trust install (with keytool on PATH)' }) });
  }
  out.push({
    runtime: 'VS Code extension host',
    accepts: osTrusts,
    why: osTrusts ? 'it adds the OS store’s roots while the setting http.systemCertificates is on (the default)' : 'it trusts the OS store (http.systemCertificates), which does not trust the CA',
    reason: { id: osTrusts ? 'vscode-os' : 'vscode-no-os' },
    ...(osTrusts ? {} : { fix: '"http.systemCertificates": true, after trusting the CA in the OS store' }),
  });
  return out;
}
