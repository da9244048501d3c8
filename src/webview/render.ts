// Renders the view model into the webview's DOM. Every decoded value goes in as text
// (textContent), never as markup: a certificate's subject may hold `<script>` and must show it.
import type { Redaction, Source, TlsView } from './protocol';
import { t } from './l10n';
import type { Badge, BlockView, ChainView, Row, ViewModel } from './model';

export interface Actions {
  copy(text: string, what: string): void;
  save(format: 'pem' | 'der', data: string, name: string): void;
  openAsText?(): void;
  reveal?(): void;
}

type Attrs = Record<string, string>;

function el<K extends keyof HTMLElementTagNameMap>(tag: K, attrs: Attrs = {}, ...children: (Node | string | undefined)[]): HTMLElementTagNameMap[K] {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (k === 'class') {
      e.className = v;
    } else {
      e.setAttribute(k, v);
    }
  }
  for (const c of children) {
    if (c !== undefined) {
      e.append(typeof c === 'string' ? document.createTextNode(c) : c);
    }
  }
  return e;
}

function icon(name: string): HTMLElement {
  return el('span', { class: `codicon codicon-${name}`, 'aria-hidden': 'true' });
}

function button(label: string, iconName: string, onClick: () => void, ariaLabel = label): HTMLButtonElement {
  const b = el('button', { type: 'button', class: 'action', 'aria-label': ariaLabel, title: ariaLabel }, icon(iconName), label);
  b.addEventListener('click', onClick);
  return b;
}

function badgeEl(b: Badge): HTMLElement {
  const name = b.severity === 'ok' ? 'pass' : b.severity === 'error' ? 'error' : b.severity === 'warning' ? 'warning' : 'info';
  // A finding's badge links to its explanation (VS Code opens https links of a webview in the browser).
  if (b.href) {
    return el('a', { class: `badge ${b.severity}`, href: b.href, title: `${b.message} (${b.href})`, 'aria-label': `${b.text}: ${b.message}` }, icon(name), b.text, icon('link-external'));
  }
  return el('span', { class: `badge ${b.severity}`, title: b.message, role: 'status', 'aria-label': `${b.text}: ${b.message}` }, icon(name), b.text);
}

function rowsTable(rows: Row[], caption: string, actions: Actions): HTMLTableElement {
  const table = el('table', { class: 'fields' }, el('caption', {}, caption));
  for (const r of rows) {
    const value = el('td', { class: r.mono ? 'mono' : '' }, r.value);
    if (r.copy) {
      value.append(' ', button('', 'copy', () => actions.copy(r.value, r.label), t('Copy {0}', r.label)));
    }
    table.append(el('tr', {}, el('th', { scope: 'row' }, r.label), value));
  }
  return table;
}

function summaryList(rows: Row[]): HTMLElement {
  const dl = el('dl', { class: 'summary' });
  for (const r of rows) {
    dl.append(el('dt', {}, r.label), el('dd', { class: r.mono ? 'mono' : '' }, r.value));
  }
  return dl;
}

function card(b: BlockView, actions: Actions): HTMLElement {
  const headingId = `block-${b.index}`;
  const section = el('section', { class: `card ${b.kind}`, id: `card-${b.index}`, 'aria-labelledby': headingId, tabindex: '-1', 'data-line': String(b.line) });
  section.append(el('h2', { id: headingId }, b.title), el('p', { class: 'subtitle' }, b.subtitle));
  if (b.badges.length) {
    section.append(el('div', { class: 'badges' }, ...b.badges.map(badgeEl)));
  }
  section.append(summaryList(b.summary));
  if (b.validity) {
    const v = b.validity;
    const meter = el('meter', { min: '0', max: '1', low: '0.75', high: '0.9', optimum: '0', value: String(v.elapsed), 'aria-label': t('Lifetime used: {0}%', Math.round(v.elapsed * 100)) });
    section.append(el('div', { class: `validity ${v.state}` }, meter, el('span', { class: 'validity-text' }, v.text)));
  }
  const buttons = el('div', { class: 'actions' });
  if (b.pem) {
    buttons.append(button(t('Copy PEM'), 'copy', () => actions.copy(b.pem!, 'PEM')), button(t('Save PEM…'), 'save', () => actions.save('pem', b.pem!, b.fileName)), button(t('Save DER…'), 'save-as', () => actions.save('der', b.der!, b.fileName)));
  }
  if (buttons.childElementCount) {
    section.append(buttons);
  }
  if (b.sections.length) {
    // The tables are built when opened: a bundle of 144 certificates renders its cards at once.
    const details = el('details', { class: 'all-fields' }, el('summary', {}, t('All fields')));
    details.addEventListener('toggle', () => {
      if (details.open && details.childElementCount === 1) {
        details.append(...b.sections.map((s) => rowsTable(s.rows, s.title, actions)));
      }
    });
    section.append(details);
  }
  return section;
}

/** Where the inspected text came from, in words, for the chain card's links found in it. */
function here(source: Source): string {
  switch (source.kind) {
    case 'tls':
      // A served chain is in no file: it is what the endpoint sent.
      return t('served by {0}', source.label);
    case 'selection':
      return t('in the selection');
    case 'clipboard':
      return t('in the clipboard');
    case 'ncp':
      return t('as NCP returned it');
    default:
      return t('in this file');
  }
}

/** `here`: where a link without `from` is, in words ("in this file", "served by host:port"). */
function chainEl(c: ChainView, here: string): HTMLElement {
  const list = el('ol', { class: 'chain-links' });
  for (const l of c.links) {
    const sig = l.signature === 'valid' ? 'pass' : l.signature === 'invalid' ? 'error' : 'question';
    const sigText = l.signature === 'valid' ? t('signature valid') : l.signature === 'invalid' ? t('signature does not verify') : t('signature not checked');
    // An issuer found elsewhere has no card here: its name, and where it came from.
    const link = l.view < 0 ? el('span', { class: 'title' }, l.title) : el('a', { href: `#card-${l.view}` }, l.title);
    link.addEventListener('click', (e) => {
      e.preventDefault();
      const target = document.getElementById(`card-${l.view}`);
      target?.scrollIntoView({ block: 'start' });
      target?.focus();
    });
    list.append(
      el(
        'li',
        { class: `link ${l.signature}${l.expired ? ' expired' : ''}`, 'aria-label': [`${l.title}: ${sigText}`, l.expired ? t('expired') : '', l.problem ?? '', l.from !== undefined ? t('from {0}', l.from) : here].filter(Boolean).join(', ') },
        icon(sig),
        link,
        el('span', { class: 'issuer' }, t('issued by {0}', l.issuer)),
        el('span', { class: 'from' }, l.from === undefined ? here : t('from {0}', l.from)),
        l.problem ? el('span', { class: 'problem' }, l.problem) : undefined,
      ),
    );
  }
  const status = c.ok ? (c.root ? t('Chain verified up to {0}', c.root) : t('Chain verified up to its root')) : t('Chain problems');
  const section = el('section', { class: `chain ${c.ok ? 'ok' : 'bad'}`, 'aria-labelledby': 'chain-title' }, el('h2', { id: 'chain-title' }, icon(c.ok ? 'verified' : 'warning'), status), list);
  if (c.problems.length) {
    section.append(el('ul', { class: 'problems' }, ...c.problems.map((p) => el('li', {}, p))));
  }
  return section;
}

function tlsEl(v: TlsView): HTMLElement {
  const icons = { ok: 'pass', error: 'error', warning: 'warning', info: 'info' } as const;
  const bad = v.facts.some((f) => f.state === 'error');
  const list = el('ul', { class: 'tls-facts' }, ...v.facts.map((f) => el('li', { class: `fact ${f.state}`, 'data-code': f.code }, icon(icons[f.state]), el('span', { class: 'label' }, f.label), el('span', { class: 'text' }, f.text))));
  return el('section', { class: `tls ${bad ? 'bad' : 'ok'}`, 'aria-labelledby': 'tls-title' }, el('h2', { id: 'tls-title' }, icon('globe'), v.endpoint), list);
}

function counts(blocks: BlockView[]): string {
  const n = new Map<string, number>();
  for (const b of blocks) {
    n.set(b.kind, (n.get(b.kind) ?? 0) + 1);
  }
  const word: Record<string, [string, string]> = {
    certificate: [t('1 certificate'), t('{0} certificates', '{0}')],
    csr: [t('1 request'), t('{0} requests', '{0}')],
    crl: [t('1 CRL'), t('{0} CRLs', '{0}')],
    privateKey: [t('1 private key'), t('{0} private keys', '{0}')],
    publicKey: [t('1 public key'), t('{0} public keys', '{0}')],
    malformed: [t('1 malformed block'), t('{0} malformed blocks', '{0}')],
    unknown: [t('1 unknown block'), t('{0} unknown blocks', '{0}')],
  };
  return [...n].map(([k, c]) => (c === 1 ? (word[k]?.[0] ?? `1 ${k}`) : (word[k]?.[1] ?? '{0} ' + k).replace('{0}', String(c)))).join(', ');
}

/** Replaces the document's content with the view of `model`. */
export function render(root: HTMLElement, model: ViewModel, source: Source, redactions: Redaction[], actions: Actions, tls?: TlsView): void {
  const header = el('header', {}, el('h1', {}, source.label), el('p', { class: 'counts' }, model.blocks.length ? counts(model.blocks) : t('No PEM blocks found')));
  const headerActions = el('div', { class: 'actions' });
  if (actions.openAsText) {
    headerActions.append(button(t('Open as text'), 'go-to-file', actions.openAsText));
  }
  if (actions.reveal) {
    headerActions.append(button(t('Reveal in NCP PKI view'), 'list-tree', actions.reveal));
  }
  if (headerActions.childElementCount) {
    header.append(headerActions);
  }
  const main: Node[] = [header];
  for (const r of redactions) {
    main.push(el('p', { class: 'redacted', role: 'note' }, icon('lock'), t('A {0} on line {1} is not shown here. Open the key file itself to see its type and size.', r.label, r.line + 1)));
  }
  if (tls) {
    main.push(tlsEl(tls));
  }
  if (model.chain) {
    main.push(chainEl(model.chain, here(source)));
  }
  for (const b of model.blocks) {
    main.push(card(b, actions));
  }
  root.replaceChildren(...main);
}

/** Scrolls to the card of the block that starts at or before `line`. */
export function focusLine(root: HTMLElement, line: number): void {
  const cards = [...root.querySelectorAll<HTMLElement>('section.card')];
  const target = cards.filter((c) => Number(c.dataset.line) <= line).pop() ?? cards[0];
  // The first block keeps the header and the chain in view.
  if (target && target !== cards[0]) {
    target.scrollIntoView({ block: 'start' });
  }
  target?.focus({ preventScroll: true });
}
