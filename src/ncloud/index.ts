// The NCP client: one signed transport over node:http(s) keep-alive agents, typed operations for Private
// CA and Certificate Manager. The same client talks to NCP and to the local emulator.
import { CertificateManagerApi } from './cm';
import { PrivateCaApi } from './pca';
import { endpointsOf, type Target } from './sites';
import { Transport, type TransportOptions } from './transport';

export { NcpError, type NcpErrorKind } from './errors';
export { SITES, endpointsOf, type SiteName, type Target, type Endpoints } from './sites';
export { pages, pathOf, PrivateCaApi, type CallOptions } from './pca';
export { OPERATIONS, parseAnswer, chainText, type OperationName } from './contract';
export { CertificateManagerApi } from './cm';
export { doctor, type DoctorCheck, type DoctorReport } from './doctor';
export { fileRecorder, redact, REDACTED, type Exchange, type Recorder } from './record';
export { requestTarget, type Credentials, type RequestLog, type RetryPolicy } from './transport';
export * from './types';

export interface NcpClient {
  pca: PrivateCaApi;
  cm: CertificateManagerApi;
  /** Closes the connection pool (when the client made it) after the calls in progress end. */
  close(): Promise<void>;
}

/** Creates a client for a site or a custom endpoint. */
export function createClient(options: TransportOptions & { target: Target }): NcpClient {
  const endpoints = endpointsOf(options.target);
  const transport = new Transport(options);
  return { pca: new PrivateCaApi(transport, endpoints.pca), cm: new CertificateManagerApi(transport, endpoints.cm), close: () => transport.close() };
}
