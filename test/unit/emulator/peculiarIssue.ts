// The emulator's former certificate encoder, on @peculiar/x509's schema classes: kept as the
// reference the direct DER writer (src/emulator/issuer.ts) is held byte-identical to, and as the
// "before" of the TBS encoder row in `npm run bench -- emulator`.
import { webcrypto, type KeyObject } from 'node:crypto';
import { x509 } from '../../../src/pki/x509';
import { countryCode, type IssueParams } from '../../../src/emulator/issuer';
import { algorithmFor, signingAlgorithm } from '../../../src/pki/generate';

const crypto = webcrypto as unknown as Crypto;

export function webKey(key: KeyObject, keyType: Parameters<typeof algorithmFor>[0]): Promise<CryptoKey> {
  return crypto.subtle.importKey('pkcs8', key.export({ type: 'pkcs8', format: 'der' }), algorithmFor(keyType), false, ['sign']);
}

function subjectName(p: Exclude<IssueParams['subject'], x509.Name>): x509.JsonName {
  const n: x509.JsonName = [];
  const add = (type: string, v?: string) => {
    if (v) {
      n.push({ [type]: [v] });
    }
  };
  add('C', p.country ? countryCode(p.country) : undefined);
  add('ST', p.stateProvince);
  add('L', p.locality);
  add('STREET', p.streetAddress);
  add('O', p.organization);
  add('OU', p.organizationUnit);
  add('CN', p.commonName);
  return n;
}

const list = (s?: string) => (s ?? '').split(',').map((x) => x.trim()).filter(Boolean);

/** The certificate DER @peculiar/x509 builds for `p` (signed with `signingKey`, a WebCrypto copy of the signer's key). */
export async function peculiarCertificate(p: IssueParams, signingKey: CryptoKey): Promise<Uint8Array> {
  const issuerCert = p.issuer ? new x509.X509Certificate(p.issuer.certPem) : undefined;
  const signer = (p.issuer ?? p.selfKey)!;
  const subject = p.subject instanceof x509.Name ? p.subject : new x509.Name(subjectName(p.subject));
  const publicKey = p.publicKey instanceof x509.PublicKey ? p.publicKey : new x509.PublicKey(Uint8Array.from(p.publicKey));
  const exts: x509.Extension[] = [
    new x509.BasicConstraintsExtension(p.ca, p.ca ? p.pathLength : undefined, true),
    new x509.KeyUsagesExtension(p.ca ? x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign | x509.KeyUsageFlags.digitalSignature : x509.KeyUsageFlags.digitalSignature | x509.KeyUsageFlags.keyEncipherment, true),
    await x509.SubjectKeyIdentifierExtension.create(publicKey, false, crypto),
    await x509.AuthorityKeyIdentifierExtension.create(issuerCert ? issuerCert.publicKey : publicKey, false, crypto),
  ];
  if (!p.ca) {
    exts.push(new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.serverAuth, x509.ExtendedKeyUsage.clientAuth]));
  }
  if (p.sanExtension) {
    exts.push(p.sanExtension);
  } else if (!(p.subject instanceof x509.Name)) {
    const names = [...list(p.subject.altName).map((v) => ({ type: (v.includes('@') ? 'email' : 'dns') as 'email' | 'dns', value: v })), ...list(p.subject.ip).map((v) => ({ type: 'ip' as const, value: v }))];
    if (names.length) {
      exts.push(new x509.SubjectAlternativeNameExtension(names));
    }
  }
  if (p.urls) {
    exts.push(new x509.CRLDistributionPointsExtension([p.urls.crl]));
    exts.push(new x509.AuthorityInfoAccessExtension({ caIssuers: [p.urls.ca], ...(p.urls.ocsp ? { ocsp: [p.urls.ocsp] } : {}) }));
  }
  const cert = await x509.X509CertificateGenerator.create(
    {
      serialNumber: p.serial.replace(/:/g, ''),
      subject,
      issuer: issuerCert ? issuerCert.subjectName : subject,
      notBefore: p.notBefore,
      notAfter: p.notAfter,
      publicKey,
      signingKey,
      signingAlgorithm: signingAlgorithm(signer.keyType),
      extensions: exts,
    },
    crypto,
  );
  return new Uint8Array(cert.rawData);
}
