// Browser entry for the PKI core test: the same modules the webview bundles, exposed to the page.
import * as pki from '../../src/pki';

(globalThis as unknown as { pki: typeof pki }).pki = pki;
