// The cheap look that decides whether a file goes to the container reader (containers.ts, in the
// export and backend bundles, loaded only then): a Java keystore's magic, a PKCS#12 by its name or
// by the first bytes of its DER (looksLikePfx, in src/pki: the decoder's DER sniffing uses it too), a
// JWK/JWKS by its JSON. Nothing heavy imported: the CLI's inspect and the extension host run it on
// every file they open.
import { looksLikePfx } from '../pki/pfx';


/** True when `bytes` (a file called `name`) may be a PKCS#12, a Java keystore or a JWK/JWKS. */
export function maybeContainer(bytes: Uint8Array, name: string): boolean {
  if (bytes.length >= 4 && bytes[0] === 0xfe && bytes[1] === 0xed && bytes[2] === 0xfe && bytes[3] === 0xed) {
    return true;
  }
  if (bytes[0] === 0x30) {
    return /\.(p12|pfx)$/i.test(name) || looksLikePfx(bytes);
  }
  const head = new TextDecoder().decode(bytes.subarray(0, 4096)).trimStart();
  return head.startsWith('{') && /"kty"\s*:/.test(head);
}
