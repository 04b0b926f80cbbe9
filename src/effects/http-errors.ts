// Safe one-line details for a failed request: built from the error code and the URL's hostname only,
// never from a message that may quote header names, hosts or paths.

/** The detail of a connection that ended before the whole response arrived. */
export const CLOSED_EARLY = 'connection closed before the response completed';

/** The detail of a request error: its code in words, never the header values or URL credentials. */
export function describeError(err: unknown, target: URL): string {
  const code = typeof (err as { code?: unknown }).code === 'string' ? (err as { code: string }).code : '';
  const message = err instanceof Error ? err.message : '';
  if (code === 'ECONNREFUSED') return 'connection refused';
  if (code === 'ECONNRESET') return message === 'socket hang up' ? CLOSED_EARLY : 'connection reset';
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return `host not found: ${target.hostname}`;
  const tlsReason = describeTlsError(code, message, target);
  if (tlsReason) return tlsReason;
  if (code === 'ERR_INVALID_CHAR' || code === 'ERR_INVALID_HTTP_TOKEN') return `request failed: invalid header name or value (${code})`;
  return `request failed: ${code || (err instanceof Error ? err.name : 'unknown error')}`;
}

const TLS_REASONS: Record<string, string> = {
  DEPTH_ZERO_SELF_SIGNED_CERT: 'self-signed certificate',
  SELF_SIGNED_CERT_IN_CHAIN: 'self-signed certificate in the chain',
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: 'unable to verify the first certificate',
  UNABLE_TO_GET_ISSUER_CERT: 'unknown issuer',
  UNABLE_TO_GET_ISSUER_CERT_LOCALLY: 'unknown issuer',
  CERT_HAS_EXPIRED: 'certificate has expired',
  CERT_NOT_YET_VALID: 'certificate is not yet valid',
  CERT_REVOKED: 'certificate revoked',
  CERT_UNTRUSTED: 'certificate not trusted',
  CERT_SIGNATURE_FAILURE: 'certificate signature failure',
  ERR_TLS_CERT_ALTNAME_INVALID: 'certificate does not match the host name',
  ERR_SSL_WRONG_VERSION_NUMBER: 'wrong version number (does the server speak TLS?)',
  ERR_SSL_SSLV3_ALERT_HANDSHAKE_FAILURE: 'handshake failure',
  ERR_SSL_TLSV1_ALERT_PROTOCOL_VERSION: 'unsupported protocol version',
  ERR_SSL_UNSUPPORTED_PROTOCOL: 'unsupported protocol version',
};

/** A TLS failure in words with its code (`TLS error: self-signed certificate (DEPTH_ZERO_SELF_SIGNED_CERT)`), or null
 * when the error is not a TLS one. */
export function describeTlsError(code: string, message: string, target: URL): string | null {
  // EPROTO carries the OpenSSL reason in its message: "...:SSL routines:ssl3_get_record:wrong version number:..."
  const opensslReason = /SSL routines:[^:]*:([a-z0-9 ]+)/.exec(message)?.[1];
  const looksTls = /^ERR_(SSL|TLS)_|CERT/.test(code) || (code === 'EPROTO' && target.protocol === 'https:');
  if (!looksTls) return null;
  const reason = TLS_REASONS[code] ?? (opensslReason === 'wrong version number' ? TLS_REASONS.ERR_SSL_WRONG_VERSION_NUMBER : opensslReason);
  return reason ? `TLS error: ${reason} (${code})` : `TLS error: ${code}`;
}
