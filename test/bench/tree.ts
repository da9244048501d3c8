// The generated tree the scan and inventory benches share: FILES source-like files, WITH_CERTS of
// them holding certificates and keys in the forms people keep them (PEM, Kubernetes base64, JSON,
// YAML, .env, pasted into source), deterministic so every run reads the same tree.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { encodeBase64, scanPem } from '../../src/pki';
import { generatedBundle } from './bundle';

/** A deterministic pseudo-random source, so every run scans the same tree. */
function rng(seed: number): () => number {
  let s = seed;
  return () => {
    s = (s * 1103515245 + 12345) & 0x7fffffff;
    return s / 0x7fffffff;
  };
}

const WORDS = 'const let function return import export from if else for while class interface type async await new this value data config server client handler request response'.split(' ');

function source(rand: () => number, size: number): string {
  let s = '';
  while (s.length < size) {
    let line = '  ';
    for (let i = 0; i < 9; i++) {
      line += `${WORDS[Math.floor(rand() * WORDS.length)]} `;
    }
    s += `${line}\n`;
  }
  return s;
}

/** Builds the tree; returns how many blocks it holds. */
export function makeTree(dir: string, FILES: number, WITH_CERTS: number): number {
  const rand = rng(16);
  const certs = scanPem(generatedBundle(WITH_CERTS * 2)).map((b) => b.text);
  const key = '-----BEGIN PRIVATE KEY-----\nMIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQgZRaM3zBKdfZSWARe\nEdM0unkCGJ8RPvG1FyZ7NXYxVw6hRANCAARuu8cWTpd1hDiQOk0uQWAPFfyqMlXt\n3ojEPiOfZoC6cnR9kemQPIA2cYSWr1A3mrewyRin87gGgX7NXIzAE/Z7\n-----END PRIVATE KEY-----\n';
  mkdirSync(join(dir, '.git'), { recursive: true });
  let blocks = 0;
  const every = Math.floor(FILES / WITH_CERTS);
  for (let i = 0; i < FILES; i++) {
    const sub = join(dir, `pkg${i % 40}`, `mod${Math.floor(i / 40) % 25}`);
    if (i < 1000) {
      mkdirSync(sub, { recursive: true });
    }
    const body = source(rand, 300 + Math.floor(rand() * 6000));
    if (i % every !== 3 || blocks >= WITH_CERTS * 2) {
      writeFileSync(join(sub, `file${i}.ts`), body);
      continue;
    }
    const a = certs[blocks % certs.length];
    const b = certs[(blocks + 1) % certs.length];
    switch (Math.floor(i / every) % 6) {
      case 0: // a chain in a PEM file
        writeFileSync(join(sub, `tls${i}.pem`), a + b);
        blocks += 2;
        break;
      case 1: // a Kubernetes TLS secret: base64 of the PEM, and the key
        writeFileSync(join(sub, `secret${i}.yaml`), `apiVersion: v1\nkind: Secret\ntype: kubernetes.io/tls\ndata:\n  tls.crt: ${encodeBase64(Buffer.from(a))}\n  tls.key: ${encodeBase64(Buffer.from(key))}\n`);
        blocks += 2;
        break;
      case 2: // PEM in a JSON string
        writeFileSync(join(sub, `config${i}.json`), `${JSON.stringify({ name: `svc${i}`, tls: { cert: a } }, null, 2)}\n`);
        blocks += 1;
        break;
      case 3: // a YAML block scalar inside a source-sized file
        writeFileSync(join(sub, `values${i}.yaml`), `${body.replace(/^/gm, '# ')}ca: |\n${a.replace(/^/gm, '  ')}`);
        blocks += 1;
        break;
      case 4: // an .env-style file with \n escapes
        writeFileSync(join(sub, `app${i}.env`), `PORT=8443\nTLS_CERT="${a.trim().replace(/\n/g, '\\n')}"\n`);
        blocks += 1;
        break;
      default: // a certificate and its key pasted at the end of a source file
        writeFileSync(join(sub, `fixture${i}.ts`), `${body}/*\n${a}${key}*/\n`);
        blocks += 2;
    }
  }
  return blocks;
}

