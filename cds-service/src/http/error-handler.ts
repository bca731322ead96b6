/**
 * The one place that maps failures to HTTP statuses (STYLE.md "Errors"). Bodies are FHIR
 * OperationOutcomes, except a 401, which is bare (CDS Hooks best practices "JWT"). Unknown errors
 * are a generic 500 with the cause logged; no stack trace ever reaches the client.
 */
import type { ErrorRequestHandler, Response } from 'express';
import { operationOutcome, type OperationOutcomeIssue } from '@rationale/shared-types';
import { CdsError, type CdsErrorCode } from '../errors';
import type { Logger } from '../logger';

export const STATUS: Readonly<Record<CdsErrorCode, number>> = Object.freeze({
  'invalid-request': 400,
  unauthorized: 401,
  forbidden: 403,
  'unknown-service': 404,
  'not-found': 404,
  'payload-too-large': 413,
  'fhir-unavailable': 412,
  'rate-limited': 429,
  'store-unavailable': 503,
  internal: 500,
});

/** FHIR IssueType codes (http://hl7.org/fhir/R4/valueset-issue-type.html). */
const ISSUE_CODE: Readonly<Record<CdsErrorCode, string>> = Object.freeze({
  'invalid-request': 'invalid',
  unauthorized: 'login',
  forbidden: 'forbidden',
  'unknown-service': 'not-found',
  'not-found': 'not-found',
  'payload-too-large': 'too-long',
  'fhir-unavailable': 'incomplete',
  'rate-limited': 'throttled',
  'store-unavailable': 'transient',
  internal: 'exception',
});

/** Sends the error response for a CdsError. */
export function sendCdsError(res: Response, error: CdsError): void {
  const status = STATUS[error.code];
  if (error.code === 'unauthorized') {
    res.status(401).set('WWW-Authenticate', 'Bearer').end();
    return;
  }
  const issue: OperationOutcomeIssue = {
    severity: 'error',
    code: ISSUE_CODE[error.code],
    diagnostics: error.code === 'internal' ? 'Internal error' : error.message,
  };
  if (error.expression?.length) issue.expression = error.expression;
  if (error.retryAfterSeconds !== undefined) res.set('Retry-After', String(error.retryAfterSeconds));
  else if (error.code === 'store-unavailable') res.set('Retry-After', '5');
  res
    .status(status)
    .type('application/fhir+json')
    .json(operationOutcome([issue]));
}

/** Translates errors thrown by body parsing (express.json) into CdsErrors. */
function fromBodyParser(err: unknown): CdsError | undefined {
  const e = err as { type?: unknown; status?: unknown };
  if (typeof e?.type !== 'string') return undefined;
  if (e.type === 'entity.too.large') return new CdsError('payload-too-large', 'Request body is too large');
  if (e.type === 'entity.parse.failed')
    return new CdsError('invalid-request', 'Request body is not valid JSON', { expression: ['(body)'] });
  if (typeof e.status === 'number' && e.status >= 400 && e.status < 500) {
    return new CdsError('invalid-request', 'Request body could not be read', { expression: ['(body)'] });
  }
  return undefined;
}

/** Express error middleware: the last `app.use`. */
export function errorHandler(logger: Logger): ErrorRequestHandler {
  return (err, req, res, next) => {
    if (res.headersSent) {
      next(err);
      return;
    }
    const log: Logger = (res.locals.log as Logger | undefined) ?? logger;
    const known =
      err instanceof CdsError
        ? err
        : err instanceof URIError
          ? new CdsError('invalid-request', 'The request path is not valid percent-encoding')
          : fromBodyParser(err);
    if (known) {
      const status = STATUS[known.code];
      if (status >= 500) log.error({ code: known.code, cause: causeOf(known) }, 'request failed');
      else log.info({ code: known.code, status }, 'request rejected');
      sendCdsError(res, known);
      return;
    }
    log.error(
      { err: { type: (err as Error)?.name, message: (err as Error)?.message, stack: (err as Error)?.stack } },
      'unexpected error',
    );
    sendCdsError(res, new CdsError('internal', 'Internal error'));
  };
}

function causeOf(e: Error): { type?: string; message?: string } | undefined {
  const c = e.cause as Error | undefined;
  return c ? { type: c.name, message: c.message } : undefined;
}
