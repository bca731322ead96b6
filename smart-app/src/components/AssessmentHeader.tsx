import type { Assessment } from '@rationale/shared-types';
import type { ReactNode } from 'react';
import { fhirUserReference, type VerifiedIdentity } from '../launch/id-token';
import { formatDate, shortHash } from './format';

export interface AssessmentHeaderProps {
  assessment: Assessment;
  /** The patient banner, when the launch asks the app for one. */
  banner?: ReactNode;
  /** The verified signed-in user; null when the server issued no id_token. */
  user?: VerifiedIdentity | null;
}

const HOOK_TEXT: Record<string, string> = {
  'patient-view': 'opening the chart',
  'order-select': 'selecting an order',
  'order-sign': 'signing orders',
  'encounter-start': 'starting an encounter',
  'encounter-discharge': 'discharge',
};

/** Which model produced the assessment, from which knowledge base, and when. */
export function AssessmentHeader({ assessment, banner, user }: AssessmentHeaderProps) {
  const { model } = assessment;
  return (
    <header className="app-header">
      <div className="title-row">
        <p className="app-name">Rationale</p>
        {user ? (
          <p className="muted user">
            Signed in as {user.name ?? (user.fhirUser ? fhirUserReference(user.fhirUser) : user.subject)}
          </p>
        ) : null}
      </div>
      {banner}
      <p className="provenance">
        <span>
          {model.name} {model.version}
        </span>{' '}
        <span className="muted">
          · knowledge base <code title={model.knowledgeBaseHash}>{shortHash(model.knowledgeBaseHash)}</code>
        </span>{' '}
        <span className="muted">
          · assessed <time dateTime={assessment.assessedAt}>{formatDate(assessment.assessedAt)}</time>
          {assessment.hook ? ` when ${HOOK_TEXT[assessment.hook] ?? assessment.hook}` : ''}
        </span>
      </p>
    </header>
  );
}
