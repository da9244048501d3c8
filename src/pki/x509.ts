// The one place that loads @peculiar/x509. It needs the Reflect metadata polyfill evaluated
// first; importing it here, before the library, keeps that order in every bundle. Load this
// module with `await import('./x509')` so callers that only scan and decode never pay for it.
import 'reflect-metadata';

export * as x509 from '@peculiar/x509';
