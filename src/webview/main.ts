// The inspector's browser bundle (dist/webview.js): decodes the PEM text the host sends inside the
// webview, certificates with @peculiar/x509 (a chunk of its own, fetched as the page starts, while
// the host answers `ready`), and renders it: the first card, then the whole panel.
// Handshake: `ready` first, then the host's `show`.
import { decodeBase64 } from '../pki/pem';
import { setBundle, t, tx } from './l10n';
import { buildView, type BlockView } from './model';
import type { HostMessage, IssuerSource, IssuersMessage, WebviewMessage } from './protocol';
import { focusLine, render } from './render';

declare function acquireVsCodeApi(): { postMessage(message: WebviewMessage): void };

const vscode = acquireVsCodeApi();
const root = document.getElementById('root')!;
// Started now, awaited by show(): the chunk loads while the host prepares its message.
const decoder = import('../pki/decodeX509');

/** Resolves once what was just put in the DOM has been painted (the frame after the next). */
function painted(): Promise<number> {
  return new Promise((resolve) => requestAnimationFrame(() => setTimeout(() => resolve(Date.now()), 0)));
}

/** Lets the browser handle input and paint between slices of decoding. */
function pause(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, 0));
}

/** Issuers by the id of their `show`: arrived, or awaited. */
const issuersArrived = new Map<number, IssuerSource[]>();
const issuersAwaited = new Map<number, (issuers: IssuerSource[]) => void>();

function issuersOf(m: HostMessage): Promise<IssuerSource[]> {
  if (!m.issuersFollow) {
    return Promise.resolve(m.issuers ?? []);
  }
  const arrived = issuersArrived.get(m.id);
  issuersArrived.delete(m.id);
  return arrived ? Promise.resolve(arrived) : new Promise((resolve) => issuersAwaited.set(m.id, resolve));
}

function receiveIssuers(m: IssuersMessage): void {
  const waiting = issuersAwaited.get(m.id);
  issuersAwaited.delete(m.id);
  if (waiting) {
    waiting(m.issuers);
  } else {
    issuersArrived.set(m.id, m.issuers);
  }
}

async function show(m: HostMessage): Promise<void> {
  const started = performance.now();
  // Asked for before the first await, so an `issuers` message that comes meanwhile is kept.
  const issuers = issuersOf(m);
  setBundle(m.l10n);
  let input: string | Uint8Array = m.text ?? '';
  if (m.der !== undefined) {
    const d = decodeBase64(m.der);
    if (!('bytes' in d)) {
      throw new Error(t("the file's bytes arrived damaged ({0})", tx(d.reason)));
    }
    input = d.bytes;
  }
  const { decodeBlockX509: decode } = await decoder;
  const options = { expiryWarningDays: m.expiryWarningDays, decode };
  const actions = {
    copy: (text: string, what: string) => vscode.postMessage({ type: 'copy', text, what }),
    save: (format: 'pem' | 'der', data: string, name: string) => vscode.postMessage({ type: 'save', format, data, name }),
    ...(m.canOpenAsText ? { openAsText: () => vscode.postMessage({ type: 'openAsText' }) } : {}),
    ...(m.source.reveal ? { reveal: () => vscode.postMessage({ type: 'reveal' }) } : {}),
  };
  // A bundle shows its first card as soon as it is decoded; the rest follows, decoded in slices.
  let firstPaintAt: number | undefined;
  const first = async (view: BlockView) => {
    render(root, { blocks: [view] }, m.source, m.redactions, actions);
    firstPaintAt = await painted();
  };
  const model = await buildView(input, { ...options, issuers, ...(m.tls ? {} : { first }), pause });
  render(root, model, m.source, m.redactions, actions, m.tls);
  if (m.focusLine !== undefined) {
    focusLine(root, m.focusLine);
  }
  const paintedAt = await painted();
  vscode.postMessage({
    type: 'rendered',
    id: m.id,
    blocks: model.blocks.map((b) => ({ kind: b.kind, title: b.title, badges: b.badges.map((x) => x.code) })),
    ...(model.chain ? { chain: { subjects: model.chain.links.map((l) => l.subject), from: model.chain.links.map((l) => l.from ?? null), where: [...root.querySelectorAll('.chain-links .from')].map((e) => e.textContent ?? ''), ok: model.chain.ok } } : {}),
    redactions: m.redactions.length,
    // What the TLS section shows, read back from the page.
    ...(m.tls ? { tls: [...root.querySelectorAll<HTMLElement>('section.tls li.fact')].map((li) => ({ code: li.dataset.code ?? '', state: li.className.replace('fact ', '') })) } : {}),
    ms: performance.now() - started,
    firstPaintAt: firstPaintAt ?? paintedAt,
    paintedAt,
  });
}

window.addEventListener('message', (event: MessageEvent<HostMessage | IssuersMessage>) => {
  if (event.data?.type === 'issuers') {
    receiveIssuers(event.data);
  } else if (event.data?.type === 'show') {
    show(event.data).catch((err: unknown) => {
      const message = err instanceof Error ? err.message : String(err);
      const p = document.createElement('p');
      p.className = 'error';
      p.textContent = t('Could not show this: {0}', message);
      root.replaceChildren(p);
      vscode.postMessage({ type: 'error', id: event.data.id, message });
    });
  }
});

vscode.postMessage({ type: 'ready' });
