/**
 * Typed FHIR server failures, translated once (in router.ts) into an HTTP status and an
 * OperationOutcome. Medplum's own OperationOutcomeError keeps its status (core `getStatus`).
 */
import { getStatus, OperationOutcomeError } from '@medplum/core';
import type { OperationOutcome, OperationOutcomeIssue } from '@medplum/fhirtypes';

type IssueType = OperationOutcomeIssue['code'];

export type FhirErrorCode =
  'invalid' | 'not-found' | 'gone' | 'forbidden' | 'not-supported' | 'conflict' | 'too-large';

const STATUS: Record<FhirErrorCode, number> = {
  invalid: 400,
  forbidden: 403,
  'not-found': 404,
  'not-supported': 405,
  conflict: 409,
  gone: 410,
  'too-large': 413,
};

/** OperationOutcome.issue.code for each failure (http://hl7.org/fhir/R4/valueset-issue-type.html). */
const ISSUE: Record<FhirErrorCode, IssueType> = {
  invalid: 'invalid',
  forbidden: 'forbidden',
  'not-found': 'not-found',
  'not-supported': 'not-supported',
  conflict: 'conflict',
  gone: 'deleted',
  'too-large': 'too-costly',
};

export class FhirError extends Error {
  constructor(
    readonly code: FhirErrorCode,
    message: string,
    options?: ErrorOptions,
  ) {
    super(message, options);
    this.name = 'FhirError';
  }
}

/** Status and OperationOutcome for any error; unknown errors become a generic 500. */
export function toOutcome(err: unknown): { status: number; outcome: OperationOutcome; unexpected: boolean } {
  if (err instanceof FhirError) {
    return {
      status: STATUS[err.code],
      outcome: outcome('error', ISSUE[err.code], err.message),
      unexpected: false,
    };
  }
  if (err instanceof OperationOutcomeError) {
    const status = getStatus(err.outcome);
    return { status, outcome: withoutId(err.outcome), unexpected: status >= 500 };
  }
  return { status: 500, outcome: outcome('fatal', 'exception', 'Internal server error'), unexpected: true };
}

/** Medplum outcomes answered by its router ([outcome, resource?]) to a status. */
export function statusOf(outcome: OperationOutcome): number {
  return getStatus(outcome);
}

export function outcome(
  severity: 'fatal' | 'error' | 'warning' | 'information',
  code: IssueType,
  text: string,
): OperationOutcome {
  return { resourceType: 'OperationOutcome', issue: [{ severity, code, diagnostics: text }] };
}

function withoutId(o: OperationOutcome): OperationOutcome {
  return {
    resourceType: 'OperationOutcome',
    issue: (o.issue ?? []).map((i) => ({
      severity: i.severity,
      code: i.code,
      ...(i.details?.text || i.diagnostics ? { diagnostics: i.diagnostics ?? i.details?.text } : {}),
      ...(i.expression ? { expression: i.expression } : {}),
    })),
  };
}
