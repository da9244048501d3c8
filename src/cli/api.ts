// API subcommands over the NCP client: `ca`, `cert`, `crl`, `cm`. A contract scripts rely on:
// --json prints the response data as JSON; failures go to stderr with a non-zero exit.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { createClient, doctor, fileRecorder, NcpError, CM_STATUS, type CmCertificate, type KeyType, type NcpClient, type Recorder, type SiteName, type X509Parameters } from '../ncloud';
import { opt, UsageError, type Args } from './args';
import type { CommandMain } from './main';
import { refuseExisting, writeAtomic, writeFiles } from './files';
import { inspect, lifetimeDays, lifetimeLimits } from '../pki';

/** Lifetime limits the issued certificate exceeds, told on stderr (warning: any root; note: public CAs only). */
function warnLifetime(certPem: string): void {
  const c = inspect(certPem).decoded[0];
  if (c?.kind !== 'certificate' || c.isCa) {
    return;
  }
  const nb = Date.parse(c.notBefore);
  const days = Math.round(lifetimeDays(nb, Date.parse(c.notAfter)));
  for (const l of lifetimeLimits(days, nb)) {
    process.stderr.write(`${l.anyRoot ? 'warning' : 'note'}: valid ${days} days, more than ${l.days}: ${l.text}\n`);
  }
}

type Action = (c: NcpClient, a: Args, out: Output) => Promise<void>;

interface Output {
  json: boolean;
  /** Prints data: as JSON with --json, else through `human`. */
  print(data: unknown, human?: () => string): void;
}

/** A client for --endpoint/--site with NCP_ACCESS_KEY / NCP_SECRET_KEY. */
export function client(a: Args): NcpClient {
  const accessKey = process.env.NCP_ACCESS_KEY;
  const secretKey = process.env.NCP_SECRET_KEY;
  if (!accessKey || !secretKey) {
    throw new UsageError('set NCP_ACCESS_KEY and NCP_SECRET_KEY (for the local emulator: EMULATOR-ACCESS-KEY / EMULATOR-SECRET-KEY)');
  }
  const endpoint = opt(a, 'endpoint');
  const site = (opt(a, 'site') ?? 'public') as SiteName;
  if (!endpoint && !['public', 'gov', 'fin'].includes(site)) {
    throw new UsageError(`--site must be public, gov or fin, not '${site}'`);
  }
  return createClient({ target: endpoint ? { endpoint } : { site }, credentials: { accessKey, secretKey }, ...recording(a) });
}

/** `--record DIR`: every request and answer written to DIR, secrets removed (src/ncloud/record.ts). */
function recording(a: Args): { record?: Recorder } {
  const dir = opt(a, 'record');
  return dir ? { record: fileRecorder(resolve(dir), (m) => process.stderr.write(`ncloud-pki: ${m}\n`)) } : {};
}

function pos(a: Args, i: number, what: string): string {
  const v = a.positionals[i];
  if (!v) {
    throw new UsageError(`missing ${what}`);
  }
  return v;
}

function need(a: Args, name: string): string {
  const v = opt(a, name);
  if (!v) {
    throw new UsageError(`--${name} is required`);
  }
  return v;
}

function date(ms: number | null | undefined): string {
  return ms ? new Date(ms).toISOString().slice(0, 10) : '-';
}

const ca: Record<string, Action> = {
  list: async (c, a, o) => {
    const p = await c.pca.listCas(Number(opt(a, 'page') ?? 1));
    o.print(p, () => [`${p.totalCnt} CA(s), page ${p.currentPageNo}/${p.totalPageNo}`, ...p.items.map((x) => `${x.caInfo.caTag}  ${x.caInfo.alias.padEnd(15)}  ${x.caInfo.caType.padEnd(12)}  ${x.caInfo.status.padEnd(11)}  until ${date(x.caCertInfo?.notAfterDate)}  ${x.caCertInfo?.commonName ?? ''}`)].join('\n'));
  },
  get: async (c, a, o) => {
    const x = await c.pca.getCa(pos(a, 1, 'TAG'));
    o.print(x, () => `${x.caInfo.alias} (${x.caInfo.caTag}) ${x.caInfo.caType} ${x.caInfo.status}, signed ${x.caInfo.signingCount}\n${x.caCertInfo?.commonName ?? ''} until ${date(x.caCertInfo?.notAfterDate)}`);
  },
  create: async (c, a, o) => {
    const type = need(a, 'type');
    if (type !== 'root' && type !== 'sub') {
      throw new UsageError('--type must be root or sub');
    }
    const params: X509Parameters = { commonName: need(a, 'cn') };
    const map: [string, keyof X509Parameters][] = [['org', 'organization'], ['ou', 'organizationUnit'], ['country', 'country'], ['locality', 'locality'], ['state', 'stateProvince'], ['street', 'streetAddress']];
    for (const [flag, key] of map) {
      const v = opt(a, flag);
      if (v) {
        params[key] = v;
      }
    }
    const issuer = opt(a, 'issuer');
    const x = await c.pca.createCa({ caType: type === 'root' ? 'PRIVATE_ROOT' : 'PRIVATE_SUB', ...(issuer ? { issuerTag: issuer } : {}), alias: need(a, 'alias'), memo: opt(a, 'memo') ?? '', keyType: (opt(a, 'key-type') ?? 'EC256') as KeyType, period: opt(a, 'period') ?? (type === 'root' ? '3650' : '1825'), x509Parameters: params });
    o.print(x, () => `created ${x.caInfo.alias}: ${x.caInfo.caTag} (${x.caInfo.status})`);
  },
  status: async (c, a, o) => {
    const status = pos(a, 2, 'STATUS (ACTIVE, DEACTIVATED or DESTROYING)');
    if (!['ACTIVE', 'DEACTIVATED', 'DESTROYING'].includes(status)) {
      throw new UsageError('STATUS must be ACTIVE, DEACTIVATED or DESTROYING');
    }
    const x = await c.pca.updateCa(pos(a, 1, 'TAG'), { status: status as 'ACTIVE' });
    o.print(x, () => `${x.alias}: ${x.status}${x.destroyDate ? `, destroyed after ${new Date(x.destroyDate).toISOString()}` : ''}`);
  },
  delete: async (c, a, o) => {
    await c.pca.deleteCa(pos(a, 1, 'TAG'));
    o.print(null, () => 'deleted');
  },
  chain: async (c, a, o) => {
    const pem = await c.pca.getChain(pos(a, 1, 'TAG'));
    const out = opt(a, 'out');
    if (out) {
      writeAtomic(out, pem, 0o644);
    }
    o.print(pem, () => (out ? `wrote ${out}` : pem.trimEnd()));
  },
  users: async (c, a, o) => {
    const verb = pos(a, 1, 'list, add or remove');
    const tag = pos(a, 2, 'TAG');
    if (verb === 'list') {
      const users = await c.pca.listUsers(tag);
      o.print(users, () => users.map((u) => `${u.idNo}  ${u.loginId}`).join('\n') || 'no sub accounts');
    } else {
      // The parser (spec.ts) lets only list, add and remove through.
      const idNo = pos(a, 3, 'IDNO (the 36-character id of a sub account)');
      await (verb === 'add' ? c.pca.addUser(tag, idNo) : c.pca.removeUser(tag, idNo));
      o.print(null, () => (verb === 'add' ? `${idNo} may now use ${tag}` : `${idNo} may no longer use ${tag}`));
    }
  },
};

function issuedFiles(r: { privateKey?: string; certificate: string; caChain: string }) {
  return [{ name: 'cert.pem', content: r.certificate }, ...(r.privateKey ? [{ name: 'key.pem', content: r.privateKey, secret: true }] : []), { name: 'chain.pem', content: r.caChain }];
}

const cert: Record<string, Action> = {
  list: async (c, a, o) => {
    const p = await c.pca.listCerts(pos(a, 1, 'TAG'), Number(opt(a, 'page') ?? 1));
    o.print(p, () => [`${p.totalCnt} certificate(s), page ${p.currentPageNo}/${p.totalPageNo}`, ...p.items].join('\n'));
  },
  get: async (c, a, o) => {
    const x = await c.pca.getCert(pos(a, 1, 'TAG'), pos(a, 2, 'SERIAL'));
    o.print(x, () => `${x.serialNo}  ${x.commonName}  ${date(x.notBeforeDate)} → ${date(x.notAfterDate)}  ${x.publicKeyAlgorithm}/${x.signatureAlgorithm}`);
  },
  issue: async (c, a, o) => {
    const dir = need(a, 'out');
    // Check before issuing: a certificate NCP issued but we could not save would be wasted.
    refuseExisting(dir, ['cert.pem', 'key.pem', 'chain.pem'], a.options.has('force'));
    const san = opt(a, 'san');
    const ip = opt(a, 'ip');
    const r = await c.pca.issueCert(pos(a, 1, 'TAG'), { keyType: (opt(a, 'key-type') ?? 'EC256') as KeyType, ...(opt(a, 'period') ? { period: opt(a, 'period') } : {}), x509Parameters: { commonName: need(a, 'cn'), ...(san ? { altName: san } : {}), ...(ip ? { ip } : {}) } });
    const written = writeFiles(dir, issuedFiles(r), a.options.has('force'));
    warnLifetime(r.certificate);
    // Never print the private key, even with --json.
    o.print({ serialNo: r.serialNo, files: written }, () => `issued ${r.serialNo}\n${written.join('\n')}`);
  },
  sign: async (c, a, o) => {
    const dir = need(a, 'out');
    refuseExisting(dir, ['cert.pem', 'chain.pem'], a.options.has('force'));
    const csrPem = readFileSync(need(a, 'csr'), 'utf8');
    const r = await c.pca.signCsr(pos(a, 1, 'TAG'), { csrPem, ...(opt(a, 'period') ? { period: opt(a, 'period') } : {}) });
    const written = writeFiles(dir, issuedFiles(r), a.options.has('force'));
    warnLifetime(r.certificate);
    o.print({ serialNo: r.serialNo, files: written }, () => `signed ${r.serialNo}\n${written.join('\n')}`);
  },
  revoke: async (c, a, o) => {
    await c.pca.revokeCert(pos(a, 1, 'TAG'), pos(a, 2, 'SERIAL'));
    o.print(null, () => 'revoked');
  },
};

const crl: Record<string, Action> = {
  get: async (c, a, o) => {
    const pem = await c.pca.getCrl(pos(a, 1, 'TAG'));
    const out = opt(a, 'out');
    if (out) {
      writeAtomic(out, pem, 0o644);
    }
    o.print(pem, () => (out ? `wrote ${out}` : pem.trimEnd()));
  },
  rotate: async (c, a, o) => {
    await c.pca.rotateCrl(pos(a, 1, 'TAG'));
    o.print(null, () => 'rotated');
  },
};

const cm: Record<string, Action> = {
  list: async (c, _a, o) => {
    const items: CmCertificate[] = [];
    for await (const x of c.cm.all()) {
      items.push(x);
    }
    o.print(items, () => items.map((x) => `${String(x.certificateNo).padEnd(8)} ${x.certificateName.padEnd(20)} ${x.commonName.padEnd(24)} ${CM_STATUS[x.statusCode] ?? x.statusCode}  ${x.validEndDate ?? ''}`).join('\n') || 'no certificates');
  },
  reissue: async (c, a, o) => {
    const no = Number(pos(a, 1, 'NO'));
    if (!Number.isInteger(no)) {
      throw new UsageError('NO must be a certificate number');
    }
    const validation = opt(a, 'validation') ?? 'D';
    if (validation !== 'D' && validation !== 'E') {
      throw new UsageError('--validation must be D (DNS CNAME) or E (e-mail)');
    }
    const cn = need(a, 'cn');
    const dns = opt(a, 'dns');
    const r = await c.cm.reissue(no, { csr: readFileSync(need(a, 'csr'), 'utf8'), certificateName: opt(a, 'name') ?? cn, commonName: cn, dnsName: dns ? dns.split(',') : [cn], validationMethod: validation });
    o.print(r, () => `reissue of ${no} requested; it stays "Issuing" until validation completes`);
  },
};

/** `ncloud-pki doctor`: both APIs, the signature, the clock, permission to list; exit 1 when something is wrong. */
async function doctorCommand(a: Args, json: boolean): Promise<number> {
  const accessKey = process.env.NCP_ACCESS_KEY;
  const secretKey = process.env.NCP_SECRET_KEY;
  if (!accessKey || !secretKey) {
    throw new UsageError('set NCP_ACCESS_KEY and NCP_SECRET_KEY (for the local emulator: EMULATOR-ACCESS-KEY / EMULATOR-SECRET-KEY)');
  }
  const endpoint = opt(a, 'endpoint');
  const site = (opt(a, 'site') ?? 'public') as SiteName;
  const report = await doctor({ target: endpoint ? { endpoint } : { site }, credentials: { accessKey, secretKey }, ...recording(a) });
  process.stdout.write(json ? `${JSON.stringify(report, null, 2)}\n` : `${report.checks.map((c) => `${c.ok ? 'ok  ' : 'FAIL'} ${c.detail}${c.fix ? `\n     → ${c.fix}` : ''}`).join('\n')}\n${report.ok ? 'all good' : 'something is wrong (see above)'}\n`);
  return report.ok ? 0 : 1;
}

const GROUPS: Record<string, Record<string, Action>> = { ca, cert, crl, cm };

/** Runs `ca|cert|crl|cm VERB ...`; main.ts has checked the options and positionals. */
export const main: CommandMain = async ([group, verb], a) => {
  const json = a.options.has('json');
  if (group === 'doctor') {
    try {
      return await doctorCommand(a, json);
    } catch (err) {
      process.stderr.write(`ncloud-pki: ${(err as Error).message}\n`);
      return err instanceof UsageError ? 2 : 1;
    }
  }
  const action = GROUPS[group][verb];
  const out: Output = {
    json,
    print: (data, human) => process.stdout.write(`${json || !human ? JSON.stringify(data, null, 2) : human()}\n`),
  };
  let c: NcpClient | undefined;
  try {
    c = client(a);
    await action(c, a, out);
    return 0;
  } catch (err) {
    if (err instanceof UsageError) {
      process.stderr.write(`ncloud-pki: ${err.message}\nrun 'ncloud-pki ${group} ${verb} --help' for usage\n`);
      return 2;
    }
    if (err instanceof NcpError) {
      process.stderr.write(`ncloud-pki: ${err.message}${err.code ? ` [${err.code}]` : ''}\n  ${err.hint}\n`);
      return 1;
    }
    process.stderr.write(`ncloud-pki: ${(err as Error).message}\n`);
    return 1;
  } finally {
    await c?.close();
  }
};
