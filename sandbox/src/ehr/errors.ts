/**
 * Failures of the EHR simulator's API. The router's error handler is the only place that turns one
 * into a status code (STYLE.md "Errors"); bodies are FHIR OperationOutcome.
 */
export type EhrErrorCode =
  | 'invalid-request' // 400: the page sent something malformed
  | 'not-found' // 404: patient or resource unknown
  | 'unprocessable' // 422: a suggestion's actions cannot be applied
  | 'upstream-unavailable'; // 502: the CDS service could not be reached or answered garbage

export class EhrError extends Error {
  constructor(
    readonly code: EhrErrorCode,
    message: string,
    options?: ErrorOptions,
  ) {
    super(message, options);
    this.name = 'EhrError';
  }
}

export const EHR_ERROR_STATUS: Record<EhrErrorCode, number> = {
  'invalid-request': 400,
  'not-found': 404,
  unprocessable: 422,
  'upstream-unavailable': 502,
};
