// A small LSP client for tests: spawns `node dist/server.js --stdio`, frames JSON-RPC with
// Content-Length headers, and lets a test wait on notifications (never on sleep).
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';

export const SERVER = join(__dirname, '../../../../dist/server.js');

interface Pending {
  resolve: (v: unknown) => void;
  reject: (e: Error) => void;
}

interface Waiter {
  method: string;
  match: (params: never) => boolean;
  resolve: (params: unknown) => void;
}

export interface Diagnostic {
  range: { start: { line: number; character: number }; end: { line: number; character: number } };
  severity: number;
  code: string;
  codeDescription?: { href: string };
  source: string;
  message: string;
  relatedInformation?: { location: { uri: string; range: Diagnostic['range'] }; message: string }[];
}

export interface PublishDiagnostics {
  uri: string;
  version?: number;
  diagnostics: Diagnostic[];
}

export class LspClient {
  readonly child: ChildProcess;
  private buffer = Buffer.alloc(0);
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  private waiters: Waiter[] = [];
  /** Every notification received, in order. */
  readonly notifications: { method: string; params: unknown }[] = [];
  /** Answers to server → client requests (workspace/configuration...). */
  onServerRequest: (method: string, params: unknown) => unknown = () => null;
  stderr = '';
  exited: number | null | undefined;

  constructor(args: string[] = ['--stdio'], server = SERVER) {
    this.child = spawn(process.execPath, [server, ...args], { stdio: ['pipe', 'pipe', 'pipe'] });
    this.child.stdout!.on('data', (d: Buffer) => this.read(d));
    this.child.stderr!.on('data', (d: Buffer) => (this.stderr += d.toString()));
    this.child.on('exit', (code) => {
      this.exited = code;
      for (const p of this.pending.values()) {
        p.reject(new Error(`server exited (${code}): ${this.stderr}`));
      }
    });
  }

  private read(chunk: Buffer): void {
    this.buffer = Buffer.concat([this.buffer, chunk]);
    for (;;) {
      const headerEnd = this.buffer.indexOf('\r\n\r\n');
      if (headerEnd === -1) {
        return;
      }
      const m = /Content-Length: (\d+)/i.exec(this.buffer.subarray(0, headerEnd).toString('ascii'));
      if (!m) {
        throw new Error(`bad header: ${this.buffer.subarray(0, headerEnd).toString()}`);
      }
      const length = Number(m[1]);
      if (this.buffer.length < headerEnd + 4 + length) {
        return;
      }
      const body = JSON.parse(this.buffer.subarray(headerEnd + 4, headerEnd + 4 + length).toString('utf8'));
      this.buffer = this.buffer.subarray(headerEnd + 4 + length);
      this.dispatch(body);
    }
  }

  private dispatch(msg: { id?: number; method?: string; params?: unknown; result?: unknown; error?: { message: string } }): void {
    if (msg.method !== undefined && msg.id !== undefined) {
      Promise.resolve(this.onServerRequest(msg.method, msg.params)).then(
        (result) => this.send({ jsonrpc: '2.0', id: msg.id, result: result ?? null }),
        (err: Error) => this.send({ jsonrpc: '2.0', id: msg.id, error: { code: -32603, message: err.message } }),
      );
      return;
    }
    if (msg.method !== undefined) {
      this.notifications.push({ method: msg.method, params: msg.params });
      this.waiters = this.waiters.filter((w) => {
        if (w.method === msg.method && w.match(msg.params as never)) {
          w.resolve(msg.params);
          return false;
        }
        return true;
      });
      return;
    }
    const p = this.pending.get(msg.id!);
    this.pending.delete(msg.id!);
    if (msg.error) {
      p?.reject(new Error(msg.error.message));
    } else {
      p?.resolve(msg.result);
    }
  }

  private send(msg: unknown): void {
    const body = Buffer.from(JSON.stringify(msg), 'utf8');
    this.child.stdin!.write(Buffer.concat([Buffer.from(`Content-Length: ${body.length}\r\n\r\n`, 'ascii'), body]));
  }

  request<T = unknown>(method: string, params: unknown): Promise<T> {
    const id = this.nextId++;
    return new Promise<T>((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
      this.send({ jsonrpc: '2.0', id, method, params });
    });
  }

  notify(method: string, params: unknown): void {
    this.send({ jsonrpc: '2.0', method, params });
  }

  /** The next notification `method` whose params satisfy `match` (including one already received after `since`). */
  waitFor<T>(method: string, match: (params: T) => boolean = () => true, since = 0): Promise<T> {
    const seen = this.notifications.slice(since).find((n) => n.method === method && match(n.params as T));
    if (seen) {
      return Promise.resolve(seen.params as T);
    }
    return new Promise<T>((resolve) => this.waiters.push({ method, match: match as (p: never) => boolean, resolve: resolve as (p: unknown) => void }));
  }

  /** The diagnostics published for `uri` at `version`. */
  diagnostics(uri: string, version?: number, since = 0): Promise<PublishDiagnostics> {
    return this.waitFor<PublishDiagnostics>('textDocument/publishDiagnostics', (p) => p.uri === uri && (version === undefined || p.version === version), since);
  }

  async initialize(initializationOptions: unknown = {}, capabilities: unknown = {}, locale?: string): Promise<{ capabilities: Record<string, unknown> }> {
    const r = await this.request<{ capabilities: Record<string, unknown> }>('initialize', { processId: process.pid, rootUri: null, capabilities, initializationOptions, ...(locale ? { locale } : {}) });
    this.notify('initialized', {});
    return r;
  }

  open(uri: string, text: string, languageId = 'pem', version = 1): Promise<PublishDiagnostics> {
    const since = this.notifications.length;
    this.notify('textDocument/didOpen', { textDocument: { uri, languageId, version, text } });
    return this.diagnostics(uri, version, since);
  }

  change(uri: string, version: number, changes: unknown[]): Promise<PublishDiagnostics> {
    const since = this.notifications.length;
    this.notify('textDocument/didChange', { textDocument: { uri, version }, contentChanges: changes });
    return this.diagnostics(uri, version, since);
  }

  /** Shuts the server down the LSP way and waits for the process to end. */
  async stop(): Promise<number | null> {
    if (this.exited !== undefined) {
      return this.exited;
    }
    const done = new Promise<number | null>((resolve) => this.child.once('exit', (code) => resolve(code)));
    try {
      await this.request('shutdown', null);
      this.notify('exit', null);
    } catch {
      this.child.kill('SIGKILL');
    }
    const timer = setTimeout(() => this.child.kill('SIGKILL'), 5000);
    const code = await done;
    clearTimeout(timer);
    return code;
  }
}
