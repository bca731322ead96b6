/**
 * Every failure the app can show has a code; each code has one screen (components/ErrorScreen).
 * Errors from fhirclient, the service and the id_token check are translated here, once.
 */

export type AppErrorCode =
  /** Opened without a launch: no `state` in the URL and no session in this tab. */
  | 'not-launched'
  /** The `state` returned by the authorization server matches no launch started in this tab. */
  | 'state-mismatch'
  /** The authorization server (or the user) refused the authorization. */
  | 'authorization-denied'
  /** The code exchange failed: the code was used already, expired, or the PKCE verifier was rejected. */
  | 'token-exchange-failed'
  /** The granted scopes do not cover what the app must read, or a server answered 403. */
  | 'scope-denied'
  /** The access token expired or was rejected (401). */
  | 'session-expired'
  /** The id_token's signature, issuer, audience or expiry did not verify. */
  | 'id-token-invalid'
  /** The launch carried no patient. */
  | 'no-patient'
  /** The assessment or resource named does not exist (any more). */
  | 'not-found'
  /** The service or FHIR server could not be reached or failed. */
  | 'unavailable'
  /**
   * The browser gives the app no session storage, or a different storage partition than the one
   * the launch wrote its state to: an embedded browser blocking or not partitioning third-party
   * storage (smart-app-launch.md §12).
   */
  | 'storage-blocked'
  /** The service refused because the assessment's FHIR server is not on its allowlist. */
  | 'fhir-not-allowlisted';

export class AppError extends Error {
  override readonly name = 'AppError';
  constructor(
    readonly code: AppErrorCode,
    message: string,
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
}

/** True for an AppError, also one from another copy of this module (a separate bundle chunk or test registry). */
export function isAppError(error: unknown): error is AppError {
  return (
    error instanceof AppError ||
    (error instanceof Error &&
      error.name === 'AppError' &&
      typeof (error as { code?: unknown }).code === 'string')
  );
}

function statusOf(error: unknown): number | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const candidate =
    (error as { status?: unknown; statusCode?: unknown }).status ??
    (error as { statusCode?: unknown }).statusCode;
  return typeof candidate === 'number' ? candidate : undefined;
}

/** Maps an HTTP status (from the service or a FHIR server) to the app's error code; `detail` is the server's text. */
export function codeForStatus(status: number | undefined, detail?: string): AppErrorCode {
  if (status === 401) return 'session-expired';
  if (status === 403 && detail && /allowlist/i.test(detail)) return 'fhir-not-allowlisted';
  if (status === 403) return 'scope-denied';
  if (status === 404 || status === 410) return 'not-found';
  return 'unavailable';
}

/**
 * Translates what `FHIR.oauth2.ready()` throws. fhirclient reports launch problems only as
 * messages, so these are matched here and nowhere else (fhirclient 2.6 src/smart.ts `ready`).
 */
export function classifyReadyError(error: unknown, context: { inFrame?: boolean } = {}): AppError {
  if (isAppError(error)) return error;
  const message = error instanceof Error ? error.message : String(error);
  if (/No 'state' parameter found/i.test(message))
    return new AppError('not-launched', message, { cause: error });
  // In an EHR's frame, a state the redirect cannot find was almost always written to another
  // storage partition (or none): the embedded browser's third-party storage settings.
  if (/No state found/i.test(message))
    return new AppError(context.inFrame ? 'storage-blocked' : 'state-mismatch', message, { cause: error });
  if (/sessionStorage|localStorage|SecurityError|access is denied for this document/i.test(message))
    return new AppError('storage-blocked', message, { cause: error });
  if (/^(invalid_scope)\b/i.test(message)) return new AppError('scope-denied', message, { cause: error });
  if (
    /^(access_denied|unauthorized_client|invalid_request|server_error|temporarily_unavailable)\b/i.test(
      message,
    )
  ) {
    return new AppError('authorization-denied', message, { cause: error });
  }
  const status = statusOf(error);
  if (status !== undefined && status >= 400 && status < 500) {
    return new AppError('token-exchange-failed', message, { cause: error });
  }
  if (/access token/i.test(message)) return new AppError('token-exchange-failed', message, { cause: error });
  return new AppError('unavailable', message, { cause: error });
}

/** Translates a failed FHIR read or service call into the app's error code. */
export function classifyHttpError(error: unknown): AppError {
  if (isAppError(error)) return error;
  const message = error instanceof Error ? error.message : String(error);
  return new AppError(codeForStatus(statusOf(error), message), message, { cause: error });
}

/**
 * Whether this document may use sessionStorage: a browser blocking third-party storage throws on
 * access in an embedded frame. fhirclient keeps the launch state there, so nothing works without it.
 */
export function sessionStorageWorks(win: { sessionStorage: Storage }): boolean {
  try {
    const key = '__rationale_probe__';
    win.sessionStorage.setItem(key, '1');
    win.sessionStorage.removeItem(key);
    return true;
  } catch {
    return false;
  }
}
