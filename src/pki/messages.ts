// What the PKI core tells users (lint findings, chain problems, PEM and DER errors), as data: a
// stable id, the arguments, and one English template per id. This layer knows no language; each
// edge translates: the extension and the webview through VS Code's l10n bundle (keyed by the English
// template, as vscode.l10n.t is), the language server through the same bundle for the locale its
// client sent in `initialize`, and the CLI prints the English.

/** Every message of the core, by id: the English template with {0}, {1}... holes. */
export const TEXTS = {
  expired: 'Certificate "{0}" expired {1} ago ({2}).',
  'not-yet-valid': 'Certificate "{0}" is not valid until {1} (in {2}).',
  'expiring-soon': 'Certificate "{0}" expires in {1} ({2}).',
  'leaf-without-san': 'Certificate "{0}" has no subjectAltName: browsers and most TLS clients ignore the common name and will reject it.',
  'ca-without-basic-constraints': 'Certificate "{0}" signs certificates but lacks basicConstraints CA:TRUE, so verifiers will not accept it as an issuer.',
  'crl-outdated': 'CRL next update was due {0} ago ({1}); clients will treat it as stale.',
  'encrypted-key': 'This private key is encrypted: a server needs its passphrase to start, and its type and size are unknown until it is decrypted.',
  'weak-rsa': '{0} key of {1} bits is too weak: use at least 2048 bits.',
  'weak-signature': 'Signed with {0}: {1} is broken for signatures and rejected by modern clients.',
  'invalid-time': '{0} "{1}" is not a valid time: {2}.',
  'time-encoding': '{0} is {1}, written with {2}, which RFC 5280 does not allow; some verifiers reject it.',
  'invalid-serial': 'The serial number is not a positive integer of at most 20 bytes: {0}.',
  'invalid-path-length': 'basicConstraints pathLenConstraint {0}; it is not used as a limit.',
  'lifetime-too-long': 'Certificate "{0}" is valid for {1} days, longer than {2}.',
  'bundle-member': 'Certificate {0} of the bundle: {1}',
  'chain-order': 'Chain out of order: "{0}" comes after its issuer "{1}"; servers must send the leaf first, then each issuer.',
  'chain-order.related': 'the issuer of "{0}"',
  'key-mismatch': 'This private key does not belong to any certificate in this file (expected the key of "{0}").',
  'key-mismatch.related': 'the certificate the key should match',
  'no-subject': '(no subject)',
  day: '{0} day',
  days: '{0} days',
  'malformed.der': 'not a valid {0}: {1} at byte {2}',
  'malformed.other': 'not a valid {0}: {1}',
  'malformed.no-data': 'no data',
  'der.truncated': 'truncated DER element',
  'der.high-tag': 'high-tag-number form is not supported',
  'der.indefinite': 'indefinite length is not DER',
  'der.length-too-large': 'length too large',
  'der.truncated-length': 'truncated length',
  'der.past-container': 'element of {0} bytes runs past its container',
  'der.expected': 'expected {0}',
  'der.expected-time': 'expected {0} (a UTCTime or GeneralizedTime)',
  'der.trailing': '{0} bytes of trailing data',
  'der.not-signed-data': 'content type {0} is not signedData',
  'der.oid-empty': 'empty OBJECT IDENTIFIER',
  'der.oid-0x80': 'OBJECT IDENTIFIER arc that starts with a 0x80 byte (not minimally encoded)',
  'der.oid-cut': 'OBJECT IDENTIFIER ends inside an arc',
  'der.integer-empty': 'empty INTEGER',
  'der.integer-negative': 'negative INTEGER ({0})',
  'der.integer-too-large': 'INTEGER too large',
  'der.integer-empty-value': 'it is empty (no value at all)',
  'der.integer-not-minimal': 'it is not minimally encoded (a needless leading byte)',
  'serial.negative': 'it is negative ({0})',
  'serial.too-long': 'it is {0} bytes long (at most 20 are allowed)',
  'path-length.empty': 'is empty',
  'path-length.negative': 'is negative ({0}), which RFC 5280 does not allow',
  'path-length.huge': 'is {0}: no chain can be that long, so it limits nothing (usually a corrupted encoding)',
  'field.revocation-date': 'revocationDate of {0}',
  'field.empty-serial': '(empty serial)',
  'time.not-a': 'it is not a {0}',
  'time.no-month': 'month {0} does not exist',
  'time.no-day': 'day {0} does not exist in month {1} of {2}',
  'time.no-hour': 'hour {0} does not exist',
  'time.no-minute': 'minute {0} does not exist',
  'time.no-second': 'second {0} does not exist',
  'time.no-zone': 'it has no time zone (no Z): it is a local time of an unknown place',
  'time.no-offset': 'time-zone offset {0} does not exist',
  'time.no-minutes-seconds': 'no minutes or seconds',
  'time.no-seconds': 'no seconds',
  'time.fraction': 'fractional seconds',
  'time.offset': 'a time-zone offset ({0}) instead of Z',
  'time.generalized-early': 'GeneralizedTime for a year before 2050 ({0})',
  list: '{0}, {1}',
  'relative.today': 'today',
  'relative.in': 'in {0}',
  'relative.ago': '{0} ago',
  'name.certificate': 'Certificate: {0}',
  'name.csr': 'Certificate request: {0}',
  'name.crl': 'CRL: {0}',
  'name.private-key': 'Private key: {0}',
  'name.public-key': 'Public key: {0}',
  'name.pkcs7': 'PKCS#7 bundle: {0}',
  'name.malformed': 'Malformed {0}',
  'name.malformed-block': 'Malformed block',
  'name.unknown': 'Unknown block',
  'word.encrypted': 'encrypted',
  'word.none': 'none',
  'count.certificate': '{0} certificate',
  'count.certificates': '{0} certificates',
  'hover.subject': 'Subject',
  'hover.names': 'Names',
  'hover.valid': 'Valid',
  'hover.issuer': 'Issuer',
  'hover.key': 'Key',
  'hover.serial': 'Serial',
  'hover.this-update': 'This update',
  'hover.next-update': 'Next update',
  'hover.revoked': 'Revoked',
  'hover.type': 'Type',
  'hover.expired': 'expired ({0})',
  'hover.not-yet-valid': 'not yet valid (starts {0})',
  'hover.day-left': '{0} day left',
  'hover.days-left': '{0} days left',
  'hover.more': 'and {0} more',
  'hover.self-signed': 'self-signed',
  'hover.signed-with': '{0}, signed with {1}',
  'hover.expires': 'expires {0}',
  'symbol.expires': 'expires {0} ({1})',
  'symbol.revoked': '{0} revoked',
  'symbol.revoked-next': '{0} revoked, next update {1}',
  'symbol.provider': 'PEM blocks',
  'lens.inspect': 'Inspect',
  'lens.verify-chain': 'Verify chain',
  'tls.no-certificate': 'the server presented no certificate',
  'tls.not-valid-now': '{0} is not valid now ({1} – {2})',
  'tls.ca-not-valid-now': 'the CA {0} is not valid now',
  'tls.not-yours': 'no CA of yours issued {0}',
  'tls.no-cas': 'no CA certificate of yours was found',
  'tls.hostname-mismatch': 'the certificate is not valid for {0} (its names: {1})',
  'tls.verify.issuer-unknown': 'the issuer of a certificate of the chain is not in the trust store ({0})',
  'tls.verify.leaf-alone': 'the server sent no issuer for its certificate, and the trust store has none ({0})',
  'tls.verify.expired': 'a certificate of the chain has expired ({0})',
  'tls.verify.not-yet-valid': 'a certificate of the chain is not yet valid ({0})',
  'tls.verify.self-signed': 'the certificate is self-signed and not trusted ({0})',
  'tls.verify.self-signed-root': 'the chain ends in a self-signed CA that is not trusted ({0})',
  'tls.verify.other': 'OpenSSL refused the chain: {0}',
  'tls.handshake-timeout': 'the TLS handshake took longer than {0} s',
  'tls.connect-timeout': 'connecting took longer than {0} s',
  'tls.handshake-failed': 'TLS handshake with {0} failed: {1}',
  'tls.connect-failed': 'cannot connect to {0}: {1}',
  'tls.refused': 'connection refused (nothing listens there)',
  'tls.resolve-failed': 'cannot resolve {0}: {1}',
  'tls.no-such-host': 'no such host',
  'kind.certificate': 'certificate',
  'kind.csr': 'certificate request',
  'kind.crl': 'CRL',
  'kind.privateKey': 'private key',
  'kind.publicKey': 'public key',
  'kind.pkcs7': 'PKCS#7 bundle',
  'kind.der': 'DER structure',
  'pem.no-end': 'no "{0}" line',
  'pem.no-end-found': 'no "{0}" line (found "{1}")',
  'pem.empty': 'the block is empty',
  'base64.at': 'malformed base64 at line {0}, column {1}: {2}',
  'base64.padding': 'too much "=" padding',
  'base64.early-padding': '"=" before the end of the data',
  'base64.character': "character '{0}' is not base64",
  'base64.truncated': 'base64 data is truncated',
  'chain.empty': 'no certificates',
  'chain.unused': '{0} certificate(s) are not part of the chain from "{1}": {2}',
  'chain.expired': 'expired on {0}',
  'chain.not-yet-valid': 'not valid before {0}',
  'chain.self-signature': 'self-signature does not verify',
  'chain.issuer-not-in-bundle': 'issuer "{0}" is not in the bundle',
  'chain.issuer-missing': '"{0}": issuer "{1}" is missing',
  'chain.bad-signature': 'signature does not verify with the key of "{0}"',
  'chain.issuer-not-ca': 'issuer "{0}" is not a CA (no basicConstraints CA:TRUE)',
  'chain.link': '"{0}": {1}',
  'chain.order': 'the certificates are not in leaf → root order',
  revoked: 'Certificate "{0}" is revoked: the CRL of CA "{1}" lists serial {2}, revoked on {3}.',
  'revoked.stale': '{0} (The CRL could not be fetched again: this is the one of {1}, due for update on {2}.)',
  'issuer-expires-first': 'Certificate "{0}" is valid until {1}, but its issuer "{2}" expires on {3}: from then on clients reject it.',
  'development-ca': 'Certificate "{0}" was issued by "{1}", a development CA ({2}), but this file is where production configuration lives (it matches "{3}").',
  'action.reissue': 'Reissue from {0}…',
  'action.full-chain': 'Replace with the full chain from {0}',
  'action.reorder': 'Reorder the chain leaf → root',
} as const;

export type TextId = keyof typeof TEXTS;

/** A message of the core: its id and arguments (an argument may itself be a message). */
export interface Text {
  id: TextId;
  args: TextArg[];
}
export type TextArg = string | number | Text;

export function text(id: TextId, ...args: TextArg[]): Text {
  return { id, args };
}

/** "1 day", "2 days". */
export function days(n: number): Text {
  return text(n === 1 ? 'day' : 'days', n);
}

/** Finds the translation of a template (by its English or its id); undefined keeps the English. */
export type Translate = (english: string, id: TextId) => string | undefined;

/** The message in words: each template through `translate` (English without it), holes filled. */
export function render(t: Text, translate: Translate = () => undefined): string {
  const english: string = TEXTS[t.id];
  const template = translate(english, t.id) ?? english;
  return template.replace(/\{(\d+)\}/g, (hole, i: string) => {
    const a = t.args[Number(i)];
    return a === undefined ? hole : typeof a === 'object' ? render(a, translate) : String(a);
  });
}
