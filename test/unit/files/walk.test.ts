// readCandidate is the fast prefilter of `scan` and of the language server's inventory: it reads a
// file and decides, with a few Buffer searches, whether to decode it at all. A prefilter must never
// lose a finding, so it is held to the slow path (scanBytes on the file's bytes: what the decoder
// finds with no prefilter) on the forms people keep certificates in and on thousands of generated
// files mixing them with noise.
import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { MAX_CANDIDATE_BYTES, readCandidate, readCandidates } from '../../../src/files/walk';
import { encodeBase64, scanBytes, scanPem } from '../../../src/pki';

const FIX = join(__dirname, '../../../../test/fixtures/pki');
const root = mkdtempSync(join(tmpdir(), 'walk-'));
after(() => rmSync(root, { recursive: true, force: true }));

const cert = readFileSync(join(FIX, 'leaf.crt'), 'utf8');
const der = readFileSync(join(FIX, 'leaf.der'));
const ed = generateKeyPairSync('ed25519');
const edPublicDer = ed.publicKey.export({ type: 'spki', format: 'der' });
const edPrivatePem = ed.privateKey.export({ type: 'pkcs8', format: 'pem' });

/** What the prefilter lets through, as blocks (label, kind, encoding, DER), or undefined when it drops the file. */
function fast(bytes: Buffer, name = 'f'): string[] | undefined {
  const path = join(root, name);
  writeFileSync(path, bytes);
  const input = readCandidate(path);
  if (input === undefined) {
    return undefined;
  }
  return shape(typeof input === 'string' ? scanPem(input) : scanBytes(input));
}

/** The blocks the decoder finds in the bytes with no prefilter. */
function slow(bytes: Buffer): string[] {
  return shape(scanBytes(new Uint8Array(bytes)));
}

function shape(blocks: ReturnType<typeof scanPem>): string[] {
  return blocks.map((b) => `${b.label}|${b.kind}|${b.encoding}|${b.der ? encodeBase64(b.der) : b.error?.message}`);
}

/** A file starting with 0x30 is DER to scanBytes whatever follows; the prefilter takes only whole DER files (text starting with "0" is not a certificate). */
function derLike(bytes: Buffer): boolean {
  return bytes.length > 1 && bytes[0] === 0x30;
}

/** "-----BEGIN" with some of its characters written as JSON \uXXXX escapes, as JSON.parse reads them. */
function escapeSome(s: string, pick: (i: number) => boolean): string {
  return s.replace(/-----(BEGIN|END)[^-]*-----/g, (m) => [...m].map((c, i) => (pick(i) ? `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}` : c)).join(''));
}

const forms: [string, Buffer][] = [
  ['PEM', Buffer.from(cert)],
  ['PEM with CRLF', Buffer.from(cert.replace(/\n/g, '\r\n'))],
  ['PEM indented in YAML', Buffer.from(`tls:\n  crt: |\n${cert.replace(/^/gm, '    ')}`)],
  ['PEM in a JSON string', Buffer.from(JSON.stringify({ cert }))],
  ['PEM in a JSON string, dashes escaped (\\u002d)', Buffer.from(JSON.stringify({ cert }).replace(/-/g, '\\u002d'))],
  ['PEM in a JSON string, dashes escaped (\\u002D)', Buffer.from(JSON.stringify({ cert }).replace(/-/g, '\\u002D'))],
  ['PEM in a JSON string, BEGIN escaped', Buffer.from(escapeSome(JSON.stringify({ cert }), (i) => i >= 5))],
  ['PEM in a JSON string, only the G escaped', Buffer.from(escapeSome(JSON.stringify({ cert }), (i) => i === 7))],
  ['Kubernetes base64 of a PEM', Buffer.from(`data:\n  tls.crt: ${encodeBase64(Buffer.from(cert))}\n`)],
  ['DER', der],
  ['bare base64 of a certificate', Buffer.from(`${encodeBase64(der).replace(/.{64}/g, '$&\n')}\n`)],
  ['bare base64 of an Ed25519 public key (MCow…)', Buffer.from(`${encodeBase64(edPublicDer)}\n`)],
  ['bare base64 after blank lines and a form feed', Buffer.from(`\n\n\f ${encodeBase64(edPublicDer)}\n`)],
  ['Ed25519 private key PEM', Buffer.from(edPrivatePem)],
  // SEQUENCE { INTEGER 3, SEQUENCE { pkcs7-data, [0] { OCTET STRING … } } } with indefinite lengths, as a BER writer makes it.
  ['PKCS#12 in BER (indefinite lengths)', Buffer.from('308002010330800609' + '2a864886f70d010701' + 'a08004820004deadbeef0000' + '0000' + '0000', 'hex')],
];

for (const [name, bytes] of forms) {
  test(`readCandidate keeps what the decoder finds: ${name}`, () => {
    const expected = slow(bytes);
    assert.ok(expected.length > 0, 'the form holds a block');
    assert.deepEqual(fast(bytes), expected);
  });
}

test('readCandidate drops files with nothing to decode, without reading them as text', () => {
  for (const s of ['export const x = 1;\n', '0 is not DER\n', 'a\\u0041 regex \\u escape but no armor\n', '-----\n', '']) {
    assert.equal(fast(Buffer.from(s)), undefined, s);
  }
});

/** A deterministic pseudo-random source, so a failure can be replayed. */
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

test('readCandidate never drops a file the decoder finds blocks in: 3,000 generated files (property check against scanBytes)', () => {
  const rand = rng(0x5ca9);
  const pick = <T>(xs: T[]): T => xs[Math.floor(rand() * xs.length)];
  const noise = ['const a = 1;\n', '  - name: x\n', '"\\n"', '\\u0041', '\\u002', '-----', '-----B', 'BEGIN', 'LS0tLS1', 'M', 'MII', ' ', '\n', '\r\n', '\t', '0', '\\', '"', 'key: "', '",\n'];
  let found = 0;
  for (let n = 0; n < 3000; n++) {
    const parts: Buffer[] = [];
    const count = 1 + Math.floor(rand() * 4);
    for (let k = 0; k < count; k++) {
      const r = rand();
      if (r < 0.45) {
        parts.push(Buffer.from(pick(noise).repeat(1 + Math.floor(rand() * 3))));
      } else if (r < 0.9) {
        let form = pick(forms)[1];
        if (rand() < 0.3) {
          // Cut it anywhere: a broken block is a finding (malformed) too.
          form = form.subarray(0, Math.floor(rand() * form.length));
        }
        parts.push(form);
      } else {
        parts.push(Buffer.from(Array.from({ length: 1 + Math.floor(rand() * 40) }, () => Math.floor(rand() * 256))));
      }
    }
    const bytes = Buffer.concat(parts);
    const expected = slow(bytes);
    const got = fast(bytes, `g${n % 8}`);
    if (derLike(bytes)) {
      // Whole DER files only: the prefilter takes the bytes as they are, or reads them as text.
      continue;
    }
    if (expected.length > 0) {
      found++;
      assert.deepEqual(got, expected, `case ${n}: ${JSON.stringify(bytes.toString('latin1').slice(0, 300))}`);
    } else if (got !== undefined) {
      assert.deepEqual(got, [], `case ${n}`);
    }
  }
  assert.ok(found > 1000, `${found} generated files held blocks`);
});

test('readCandidates reads a batch of files as readCandidate reads each: markers across two files count for neither; big, empty and unreadable files in between', () => {
  const dir = join(root, 'batch');
  mkdirSync(dir);
  const rand = rng(0xba7c);
  const pick = <T>(xs: T[]): T => xs[Math.floor(rand() * xs.length)];
  const noise = ['const a = 1;\n', '\\u0041', '-----', 'LS0t', 'M', '0', '\\', ' '];
  const contents: (Buffer | 'missing' | 'directory' | 'dangling')[] = [];
  // Each marker split across two files, at every place: neither file holds it.
  for (const marker of ['-----BEGIN CERTIFICATE-----', 'LS0tLS1CRUdJTiBDRVJU', '"\\u002dx"', '-----BEGI\\u004e']) {
    for (let cut = 1; cut < marker.length; cut++) {
      contents.push(Buffer.from(`x ${marker.slice(0, cut)}`), Buffer.from(`${marker.slice(cut)} y\n`));
    }
  }
  // A marker that ends exactly where its file ends still counts.
  contents.push(Buffer.from('tail -----BEGIN'), Buffer.from('CERTIFICATE-----\n'));
  for (let n = 0; n < 1500; n++) {
    const r = rand();
    if (r < 0.5) {
      contents.push(Buffer.from(pick(noise).repeat(1 + Math.floor(rand() * 3000))));
    } else if (r < 0.9) {
      const form = pick(forms)[1];
      contents.push(rand() < 0.3 ? form.subarray(0, Math.floor(rand() * form.length)) : form);
    } else if (r < 0.93) {
      contents.push(Buffer.alloc(0));
    } else if (r < 0.96) {
      contents.push(pick(['missing', 'directory', 'dangling'] as const));
    } else {
      // Around the sizes where the batch is flushed (half the buffer) and where one file fills it.
      const size = pick([(1 << 19) - 1, 1 << 19, (1 << 19) + 1, (1 << 20) - 1, 1 << 20, (1 << 20) + 1, 3 << 20]);
      const file = Buffer.alloc(size, 0x61);
      Buffer.from(cert).copy(file, size - cert.length);
      contents.push(file);
    }
  }
  const paths = contents.map((c, i) => {
    const path = join(dir, `f${i}`);
    if (c === 'directory') {
      mkdirSync(path);
    } else if (c === 'dangling') {
      symlinkSync(join(dir, 'nothing'), path);
    } else if (c !== 'missing') {
      writeFileSync(path, c);
    }
    return path;
  });
  const expected = paths.map((p) => {
    try {
      return readCandidate(p);
    } catch (err) {
      return (err as NodeJS.ErrnoException).code;
    }
  });
  const got: (string | Uint8Array | undefined)[] = paths.map(() => undefined);
  readCandidates(
    paths,
    (i, input) => {
      assert.ok(got[i] === undefined, `file ${i} found twice`);
      got[i] = input;
    },
    (i, err) => {
      assert.ok(got[i] === undefined, `file ${i} failed twice`);
      got[i] = err.code;
    },
  );
  for (let i = 0; i < paths.length; i++) {
    assert.ok(typeof got[i] === typeof expected[i] && (typeof got[i] !== 'object' ? got[i] === expected[i] : Buffer.compare(got[i] as Uint8Array, expected[i] as Uint8Array) === 0), `file ${i} (${typeof contents[i] === 'string' ? contents[i] : `${(contents[i] as Buffer).length} bytes`}): read ${typeof got[i] === 'string' ? `text of ${(got[i] as string).length}` : String(got[i]?.length ?? got[i])}, expected ${typeof expected[i] === 'string' ? `text of ${(expected[i] as string).length}` : String(expected[i]?.length ?? expected[i])}`);
  }
  assert.ok(expected.filter((x) => x !== undefined && !/^E[A-Z]+$/.test(String(x))).length > 500, 'many files are candidates');
  assert.ok(expected.some((x) => x === 'ENOENT') && expected.some((x) => x === 'EISDIR'), 'some files cannot be read');
});

test('a file over MAX_CANDIDATE_BYTES fails with EFBIG and costs the files after it nothing (a 3 GiB dump, sparse)', () => {
  const dir = join(root, 'huge');
  mkdirSync(dir);
  const small = join(dir, 'a.pem');
  writeFileSync(small, cert);
  // Just over the limit, and past what one read can take (2 GiB): neither is read, and the buffer the
  // next file is read into is the usual one (a grown buffer broke every read after a 3 GiB file).
  for (const size of [MAX_CANDIDATE_BYTES + 1, 3 * 1024 ** 3]) {
    const huge = join(dir, `dump-${size}.bin`);
    writeFileSync(huge, '');
    truncateSync(huge, size);
    assert.throws(() => readCandidate(huge), (err: NodeJS.ErrnoException) => err.code === 'EFBIG');
    assert.equal(readCandidate(small), cert);
    const got: string[] = [];
    readCandidates(
      [small, huge, small],
      (i, input) => got.push(`${i}: ${input === cert ? 'cert' : String(input)}`),
      (i, err) => got.push(`${i}: ${err.code}`),
    );
    assert.deepEqual(got, ['0: cert', '1: EFBIG', '2: cert']);
  }
  // Up to the limit a big file is read whole, and the files after it still are.
  const big = join(dir, 'big.pem');
  writeFileSync(big, Buffer.concat([Buffer.alloc(5 << 20, 0x61), Buffer.from(`\n${cert}`)]));
  const found: string[] = [];
  readCandidates(
    [big, small],
    (i, input) => found.push(`${i}: ${typeof input === 'string' && input.endsWith(cert) ? 'ends with the cert' : 'other'}`),
    (i, err) => found.push(`${i}: ${err.code}`),
  );
  assert.deepEqual(found, ['0: ends with the cert', '1: ends with the cert']);
});

test('readCandidate and readCandidates read UTF-16 files by their byte order mark: the text if it holds a marker, bytes if it may be bare base64', () => {
  const dir = join(root, 'utf16');
  mkdirSync(dir);
  const le = (s: string) => Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(s, 'utf16le')]);
  const be = (s: string) => Buffer.from(le(s)).swap16();
  const body = cert.split('\n').slice(1, -2).join('\n');
  const files: [string, Buffer, (got: string | Uint8Array | undefined) => void][] = [
    ['le.pem', le(cert), (got) => assert.equal(got, cert)],
    ['be.pem', be(cert), (got) => assert.equal(got, cert)],
    ['le.json', le(JSON.stringify({ cert })), (got) => assert.equal(got, JSON.stringify({ cert }))],
    ['bare.txt', le(body), (got) => assert.ok(got instanceof Uint8Array && scanBytes(got).length === 1)],
    ['notes.txt', le('nothing here\n'), (got) => assert.equal(got, undefined)],
  ];
  for (const [name, bytes] of files) {
    writeFileSync(join(dir, name), bytes);
  }
  const got: (string | Uint8Array | undefined)[] = files.map(() => undefined);
  readCandidates(
    files.map(([name]) => join(dir, name)),
    (i, input) => {
      got[i] = input;
    },
    (i, err) => assert.fail(`${files[i][0]}: ${err.code}`),
  );
  files.forEach(([name, , check], i) => {
    check(readCandidate(join(dir, name)));
    check(got[i]);
  });
});
