import { createHmac } from 'node:crypto';

/** The three headers NCP's API Gateway (signature v2) requires on every call. */
export interface SignedHeaders {
  'x-ncp-apigw-timestamp': string;
  'x-ncp-iam-access-key': string;
  'x-ncp-apigw-signature-v2': string;
}

/** The string NCP signs: `METHOD pathWithQuery\ntimestamp\naccessKey`. */
export function stringToSign(method: string, pathWithQuery: string, timestamp: string, accessKey: string): string {
  return `${method.toUpperCase()} ${pathWithQuery}\n${timestamp}\n${accessKey}`;
}

/**
 * Signature v2: base64(HMAC-SHA256(secretKey, stringToSign)). `pathWithQuery` must be the
 * request target exactly as sent (path with the `/api/v1` prefix, `?`, raw query).
 */
export function signature(method: string, pathWithQuery: string, timestamp: string, accessKey: string, secretKey: string): string {
  return createHmac('sha256', secretKey).update(stringToSign(method, pathWithQuery, timestamp, accessKey), 'utf8').digest('base64');
}

/** Builds the three gateway headers for one request; `now` is injectable for tests. */
export function signRequest(method: string, pathWithQuery: string, accessKey: string, secretKey: string, now: number = Date.now()): SignedHeaders {
  const timestamp = String(now);
  return {
    'x-ncp-apigw-timestamp': timestamp,
    'x-ncp-iam-access-key': accessKey,
    'x-ncp-apigw-signature-v2': signature(method, pathWithQuery, timestamp, accessKey, secretKey),
  };
}
