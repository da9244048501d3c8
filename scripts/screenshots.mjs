// `npm run screenshots`: refreshes media/screenshots/*.png, the pictures README.md embeds, by running
// the UI tier (the packaged extension in code-server, clicked in Chromium: `node test/run.mjs e2e`)
// with NCLOUD_PKI_SCREENSHOTS set, so the tests save their README shots there at 1280×800.
// Fails when the tier fails or when a picture README.md embeds was not written by this run.
// The shots are not shipped in the .vsix (.vscodeignore); the Marketplace shows README's links.
import { spawnSync } from 'node:child_process';
import { readFileSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const DIR = join(ROOT, 'media/screenshots');
const started = Date.now();

const r = spawnSync(process.execPath, [join(ROOT, 'test/run.mjs'), 'e2e'], { cwd: ROOT, stdio: 'inherit', env: { ...process.env, NCLOUD_PKI_SCREENSHOTS: DIR } });

/** Width and height from a PNG's IHDR chunk. */
function size(file) {
  const b = readFileSync(file);
  return `${b.readUInt32BE(16)}×${b.readUInt32BE(20)}`;
}

const embedded = [...readFileSync(join(ROOT, 'README.md'), 'utf8').matchAll(/\]\((media\/screenshots\/[^)\s]+\.png)\)/g)].map((m) => m[1]);
let missing = 0;
console.log('\nREADME screenshots:');
for (const rel of embedded) {
  const file = join(ROOT, rel);
  let st;
  try {
    st = statSync(file);
  } catch {
    st = undefined;
  }
  const fresh = st !== undefined && st.mtimeMs >= started;
  missing += fresh ? 0 : 1;
  console.log(`  ${rel}: ${fresh ? `${size(file)}, ${(st.size / 1024).toFixed(0)} KB` : 'NOT written by this run'}`);
}
process.exit(r.status !== 0 ? (r.status ?? 1) : missing ? 1 : 0);
