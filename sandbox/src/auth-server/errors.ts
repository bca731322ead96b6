/**
 * OAuth 2.0 errors (RFC 6749 §4.1.2.1 and §5.2). The token endpoint answers them as JSON with
 * status 400 (401 for invalid_client); the authorize endpoint redirects with them once the client
 * and redirect_uri are known good, and shows an error page before that.
 */
export type OAuthErrorCode =
  | 'invalid_request'
  | 'invalid_client'
  | 'invalid_grant'
  | 'unauthorized_client'
  | 'unsupported_grant_type'
  | 'unsupported_response_type'
  | 'invalid_scope'
  | 'access_denied';

export class OAuthError extends Error {
  constructor(
    readonly code: OAuthErrorCode,
    readonly description: string,
  ) {
    super(`${code}: ${description}`);
    this.name = 'OAuthError';
  }
}

/** Authorize-endpoint failure that must not redirect (unknown client or unregistered redirect_uri). */
export class AuthorizePageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'AuthorizePageError';
  }
}
