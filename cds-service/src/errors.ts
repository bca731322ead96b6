/**
 * Every failure inside the service has a type; `http/error-handler.ts` is the only place that turns
 * one into a status code, once, at the edge (STYLE.md "Errors").
 */
export type CdsErrorCode =
  | 'invalid-request' // 400, OperationOutcome naming the field
  | 'unauthorized' // 401, bare
  | 'forbidden' // 403
  | 'unknown-service' // 404
  | 'not-found' // 404
  | 'payload-too-large' // 413
  | 'fhir-unavailable' // 412: required data could not be had (CDS Hooks STU2 L282)
  | 'rate-limited' // 429
  | 'store-unavailable' // 503: the database does not answer
  | 'internal'; // 500, generic message, cause logged

export class CdsError extends Error {
  constructor(
    readonly code: CdsErrorCode,
    message: string,
    options?: ErrorOptions & { expression?: string[]; retryAfterSeconds?: number },
  ) {
    super(message, options);
    this.name = 'CdsError';
    this.expression = options?.expression;
    this.retryAfterSeconds = options?.retryAfterSeconds;
  }

  /** When the caller may try again (a 429 or 503 `Retry-After`), in seconds. */
  readonly retryAfterSeconds: number | undefined;

  /** FHIRPath-like locations of the bad fields, for the OperationOutcome. */
  readonly expression: string[] | undefined;
}

/** Thrown when configuration is invalid; the message names the variable or file and the problem. */
export class ConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConfigError';
  }
}
