/**
 * FHIR OperationOutcome: the body of every non-2xx answer but a 401 (CDS Hooks 3.0 ballot asks for
 * it; it costs nothing in 2.0).
 */
export interface OperationOutcomeIssue {
  severity: 'fatal' | 'error' | 'warning' | 'information';
  code: string;
  diagnostics?: string;
  expression?: string[];
}

export interface OperationOutcome {
  resourceType: 'OperationOutcome';
  issue: OperationOutcomeIssue[];
}

/** Builds an OperationOutcome with one issue per problem. */
export function operationOutcome(issues: OperationOutcomeIssue[]): OperationOutcome {
  return { resourceType: 'OperationOutcome', issue: issues };
}
