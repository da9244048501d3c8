// Marketplace readiness that package.json must hold: the icon is a real 128×128 PNG, the links
// are there, and Restricted Mode hides (and the code refuses) what writes files or starts servers.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import test from 'node:test';
import { RESTRICTED_SETTINGS, TRUSTED_COMMANDS } from '../../../src/extension/keys';

const root = join(__dirname, '../../../..');
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const nls = JSON.parse(readFileSync(join(root, 'package.nls.json'), 'utf8')) as Record<string, string>;

test('marketplace: the icon is a 128×128 PNG and the gallery fields are set', () => {
  const png = readFileSync(join(root, pkg.icon));
  assert.equal(png.subarray(1, 4).toString('latin1'), 'PNG');
  assert.equal(png.subarray(12, 16).toString('latin1'), 'IHDR');
  assert.deepEqual([png.readUInt32BE(16), png.readUInt32BE(20)], [128, 128]);
  assert.match(pkg.galleryBanner.color, /^#[0-9A-Fa-f]{6}$/);
  assert.ok(['dark', 'light'].includes(pkg.galleryBanner.theme));
  for (const url of [pkg.homepage, pkg.bugs.url, pkg.repository.url]) {
    assert.match(url, /^https:\/\/github\.com\/ncloud-pki\/ncloud-pki/);
  }
});

test('marketplace: Restricted Mode and virtual workspaces are declared and described', () => {
  const { untrustedWorkspaces: u, virtualWorkspaces: v } = pkg.capabilities;
  assert.equal(u.supported, 'limited');
  assert.equal(v.supported, 'limited');
  for (const d of [u.description, v.description]) {
    assert.ok(nls[d.replace(/^%|%$/g, '')], `${d} has an English text`);
  }
  assert.deepEqual(u.restrictedConfigurations, RESTRICTED_SETTINGS.map((k) => `ncloudPki.${k}`));
  const settings = Object.keys(pkg.contributes.configuration.properties);
  assert.deepEqual(u.restrictedConfigurations.filter((k: string) => !settings.includes(k)), []);
});

test('marketplace: every menu entry of a command that writes files or starts the emulator requires a trusted workspace', () => {
  const commands = (pkg.contributes.commands as { command: string }[]).map((c) => c.command);
  assert.deepEqual(TRUSTED_COMMANDS.filter((c) => !commands.includes(c)), []);
  const open: string[] = [];
  let checked = 0;
  for (const [menu, items] of Object.entries(pkg.contributes.menus as Record<string, { command: string; when?: string }[]>)) {
    for (const item of items.filter((i) => TRUSTED_COMMANDS.includes(i.command))) {
      checked++;
      if (item.when !== 'false' && !/(^|&&\s*)isWorkspaceTrusted(\s*&&|$)/.test(item.when ?? '')) {
        open.push(`${menu}: ${item.command} when "${item.when ?? ''}"`);
      }
    }
  }
  // The palette lists every command unless told otherwise: each trusted one needs its entry.
  const palette = (pkg.contributes.menus.commandPalette as { command: string }[]).map((i) => i.command);
  open.push(...TRUSTED_COMMANDS.filter((c) => !palette.includes(c)).map((c) => `commandPalette: ${c} has no entry`));
  assert.deepEqual(open, []);
  assert.ok(checked >= TRUSTED_COMMANDS.length, `${checked} entries checked`);
});

test('marketplace: README embeds the UI screenshots after its first two commands, and every image it embeds exists as a PNG of at most 1280×800 and 400 KB', () => {
  const readme = readFileSync(join(root, 'README.md'), 'utf8');
  const images = [...readme.matchAll(/!\[([^\]]*)\]\(([^)\s]+)\)/g)].map((m) => ({ alt: m[1], path: m[2], at: m.index }));
  const shots = images.filter((i) => i.path.startsWith('media/screenshots/'));
  assert.deepEqual(shots.map((i) => i.path).sort(), ['ca-tree', 'certificates-view', 'inspector', 'tls-endpoint', 'walkthrough'].map((n) => `media/screenshots/${n}.png`));
  // `npm ci && npm start` and `npm test` stay the first thing a reader sees.
  const firstBlock = readme.indexOf('```sh\nnpm ci && npm start');
  assert.ok(firstBlock !== -1 && readme.indexOf('npm test', firstBlock) !== -1);
  assert.ok(shots.every((i) => i.at > readme.indexOf('```', firstBlock + 3)), 'the screenshots come after the first commands');
  for (const i of images) {
    assert.ok(i.alt.length > 10, `${i.path} has alternative text`);
    assert.doesNotMatch(i.path, /^(\/|\.\.|https?:)/, `${i.path} is a relative path in the repository`);
    const png = readFileSync(join(root, i.path));
    assert.equal(png.subarray(1, 4).toString('latin1'), 'PNG', i.path);
    assert.ok(png.readUInt32BE(16) <= 1280 && png.readUInt32BE(20) <= 800, `${i.path} is ${png.readUInt32BE(16)}×${png.readUInt32BE(20)}`);
    assert.ok(png.length <= 400 * 1024, `${i.path} is ${png.length} bytes`);
  }
});
