// The language server over stdio when the message framing is broken: it must not lose the stream
// silently (before: `Content-Length: -5` made it stop answering every later request). It ends with
// one clear line so the client restarts it; well-formed frames, however they are split, still work.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PassThrough } from 'node:stream';
import { FramingGuard, frameLength } from '../../../src/language/server/framing';
import { LspClient } from './lsp';

const exitOf = (c: LspClient) => new Promise<number | null>((resolve) => (c.exited !== undefined ? resolve(c.exited) : c.child.once('exit', resolve)));

const broken = [
  { name: 'a negative Content-Length', header: 'Content-Length: -5\r\n\r\n', reason: /Content-Length "-5" is not a length/ },
  { name: 'a Content-Length that is not a number', header: 'Content-Length: 12abc\r\n\r\n', reason: /Content-Length "12abc"/ },
  { name: 'a header line without a colon', header: 'Garbage\r\n\r\n', reason: /header line "Garbage"/ },
  { name: 'a header block without Content-Length', header: 'Content-Type: x\r\n\r\n', reason: /without Content-Length/ },
  { name: 'an endless header', header: `X-Long: ${'a'.repeat(20_000)}`, reason: /header block longer than/ },
];

for (const c of broken) {
  test(`stdio: ${c.name} ends the server with a clear line instead of a silent stream`, async () => {
    const lsp = new LspClient();
    await lsp.initialize();
    lsp.child.stdin!.write(c.header);
    const code = await exitOf(lsp);
    assert.equal(code, 1);
    assert.match(lsp.stderr, /cannot read the message stream/);
    assert.match(lsp.stderr, c.reason);
  });
}

test('stdio: frames split at every byte still reach the server', async () => {
  const lsp = new LspClient();
  const send = (msg: unknown) => {
    const body = Buffer.from(JSON.stringify(msg), 'utf8');
    const frame = Buffer.concat([Buffer.from(`Content-Length: ${body.length}\r\n\r\n`), body]);
    for (let i = 0; i < frame.length; i++) {
      lsp.child.stdin!.write(frame.subarray(i, i + 1));
    }
  };
  const answered = new Promise((resolve) => {
    lsp.child.stdout!.on('data', (d: Buffer) => {
      if (d.toString().includes('"id":77')) {
        resolve(true);
      }
    });
  });
  send({ jsonrpc: '2.0', id: 77, method: 'initialize', params: { processId: null, rootUri: null, capabilities: {} } });
  assert.equal(await answered, true);
  lsp.child.kill();
});

test('guard: passes well-formed frames through byte for byte, and stops at the first bad header', async () => {
  const errors: string[] = [];
  const guard = new FramingGuard((r) => errors.push(r));
  const out: Buffer[] = [];
  const sink = new PassThrough();
  guard.pipe(sink);
  sink.on('data', (d: Buffer) => out.push(d));
  const good = 'Content-Length: 2\r\n\r\n{}Content-Length: 0\r\n\r\n';
  guard.write(Buffer.from(good.slice(0, 20)));
  guard.write(Buffer.from(good.slice(20)));
  guard.write(Buffer.from('Content-Length: -1\r\n\r\nmore'));
  guard.end();
  await new Promise((r) => sink.on('end', r));
  assert.equal(Buffer.concat(out).toString(), good);
  assert.equal(errors.length, 1);
  assert.deepEqual(frameLength('Content-Length: 10\r\nContent-Type: application/vscode-jsonrpc; charset=utf-8'), { length: 10 });
});
