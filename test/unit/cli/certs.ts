// Certificates for CLI tests, made by the emulator's issuer (the code that signs for the emulator):
// any names, any dates, CA or leaf, signed by a given issuer or self-signed.
import { issue, newKey, newSerial, type KeyPair } from '../../../src/emulator/issuer';

export interface Made {
  pem: string;
  key: KeyPair;
}

const DAY = 86_400_000;

/** A certificate valid from `from` to `to` days from now (negative: in the past). */
export async function makeCert(o: { cn: string; dns?: string[]; ca?: boolean; issuer?: Made; from?: number; to: number }): Promise<Made> {
  const key = await newKey('EC256');
  const now = Date.now();
  const pem = await issue({
    serial: newSerial(),
    subject: { commonName: o.cn, ...(o.dns ? { altName: o.dns.join(',') } : {}) },
    publicKey: key.spki,
    notBefore: new Date(now + (o.from ?? -1) * DAY),
    notAfter: new Date(now + o.to * DAY),
    ca: o.ca ?? false,
    ...(o.issuer ? { issuer: { certPem: o.issuer.pem, keyType: 'EC256' as const, signingKey: o.issuer.key.privateKey } } : { selfKey: { keyType: 'EC256' as const, signingKey: key.privateKey } }),
  });
  return { pem, key };
}
