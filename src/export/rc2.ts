// RC2 decryption (RFC 2268) in CBC mode, only to read the certificates of PKCS#12 files written by
// `openssl pkcs12 -legacy` (pbeWithSHA1And40BitRC2-CBC): Node's OpenSSL 3 refuses RC2 without the
// legacy provider, and no npm package offers RC2 without a whole crypto toolkit around it.
// Checked against RFC 2268's test vectors (test/unit/export/containers.test.ts).

const PITABLE = Buffer.from(
  'd978f9c419ddb5ed28e9fd794aa0d89dc67e37832b76538e624c6488448bfba2' +
    '179a59f587b34f1361456d8d09817d32bd8f40eb86b77b0bf09521225c6b4e82' +
    '54d66593ce60b21c7356c014a78cf1dc1275ca1f3bbee4d1423dd430a33cb626' +
    '6fbf0eda4669075727f21d9bbc944303f811c7f690ef3ee706c3d52fc8661ed7' +
    '08e8eade8052eef784aa72ac354d6a2a961ad2715a1549744b9fd05e0418a4ec' +
    'c2e0416e0f51cbcc2491af50a1f47039997c3a8523b8b47afc02365b25559731' +
    '2d5dfa98e38a92ae05df2910676cbac9d300e6cfe19ea82c6316013f58e289a9' +
    '0d38341bab33ffb0bb480c5fb9b1cd2ec5f3db47e5a59c770aa62068fe7fc1ad',
  'hex',
);

/** The 64 round keys for `key` with `bits` effective key bits. */
function expand(key: Uint8Array, bits: number): Uint16Array {
  const L = new Uint8Array(128);
  L.set(key);
  const T = key.length;
  for (let i = T; i < 128; i++) {
    L[i] = PITABLE[(L[i - 1] + L[i - T]) & 0xff];
  }
  const T8 = Math.ceil(bits / 8);
  const TM = 0xff >> (8 * T8 - bits);
  L[128 - T8] = PITABLE[L[128 - T8] & TM];
  for (let i = 127 - T8; i >= 0; i--) {
    L[i] = PITABLE[L[i + 1] ^ L[i + T8]];
  }
  const K = new Uint16Array(64);
  for (let i = 0; i < 64; i++) {
    K[i] = L[2 * i] | (L[2 * i + 1] << 8);
  }
  return K;
}

const SHIFT = [1, 2, 3, 5];

function decryptBlock(K: Uint16Array, block: Uint8Array, out: Uint8Array): void {
  const R = [0, 1, 2, 3].map((i) => block[2 * i] | (block[2 * i + 1] << 8));
  let j = 63;
  const mix = () => {
    for (let i = 3; i >= 0; i--) {
      const r = R[i];
      R[i] = ((r >>> SHIFT[i]) | (r << (16 - SHIFT[i]))) & 0xffff;
      R[i] = (R[i] - K[j--] - (R[(i + 3) & 3] & R[(i + 2) & 3]) - (~R[(i + 3) & 3] & R[(i + 1) & 3])) & 0xffff;
    }
  };
  const mash = () => {
    for (let i = 3; i >= 0; i--) {
      R[i] = (R[i] - K[R[(i + 3) & 3] & 63]) & 0xffff;
    }
  };
  const rounds = (n: number) => {
    for (let k = 0; k < n; k++) {
      mix();
    }
  };
  rounds(5);
  mash();
  rounds(6);
  mash();
  rounds(5);
  for (let i = 0; i < 4; i++) {
    out[2 * i] = R[i] & 0xff;
    out[2 * i + 1] = R[i] >> 8;
  }
}

/** One block, no chaining (for the RFC's test vectors). */
export function rc2DecryptBlock(key: Uint8Array, bits: number, block: Uint8Array): Uint8Array {
  const out = new Uint8Array(8);
  decryptBlock(expand(key, bits), block, out);
  return out;
}

/** RC2-CBC decryption with PKCS#7 padding removed; throws on a bad length or padding (a wrong password). */
export function rc2CbcDecrypt(key: Uint8Array, bits: number, iv: Uint8Array, data: Uint8Array): Uint8Array {
  if (data.length === 0 || data.length % 8 !== 0) {
    throw new Error('RC2: ciphertext is not a whole number of blocks');
  }
  const K = expand(key, bits);
  const out = new Uint8Array(data.length);
  let prev = iv;
  for (let off = 0; off < data.length; off += 8) {
    const block = data.subarray(off, off + 8);
    const plain = out.subarray(off, off + 8);
    decryptBlock(K, block, plain);
    for (let i = 0; i < 8; i++) {
      plain[i] ^= prev[i];
    }
    prev = block;
  }
  const pad = out[out.length - 1];
  if (pad < 1 || pad > 8 || out.subarray(out.length - pad).some((b) => b !== pad)) {
    throw new Error('RC2: bad padding (wrong password?)');
  }
  return out.subarray(0, out.length - pad);
}
