// The extension's heavy half: the NCP client (undici), the local emulator and the PKI core's key
// and CSR generation (@peculiar/x509). Its own bundle (dist/backend.js), loaded by services.ts on
// the first action that needs it, so activation never pays for it.
export { createClient, doctor, fileRecorder, CM_STATUS, NcpError } from '../ncloud';
export { startEmulator, DEFAULT_CREDENTIALS } from '../emulator';
export { generateCsr } from '../pki/generate';
export { scanPem } from '../pki/pem';
export { decodeBlock } from '../pki/decode';
export { buildExport, defaultExtension, needsKey } from '../export';
export { caCertificates, endpointTarget, probeTls, servedInOrder, verifyWith, TlsStepError } from '../tls/probe';
export * as trust from '../trust';
export { containerFormat, readContainer, certificatesPem, ContainerError, PasswordNeeded } from '../export/containers';
