import type {
  Citation,
  Finding,
  ProposedOrder,
  Recommendation,
  SuppressedRecommendation,
} from '@rationale/shared-types';
import type { ReactNode } from 'react';
import { citationHref, CitationList, ExternalLink } from './citations';
import { FindingRef, type OpenFinding } from './FindingButton';
import { itemElementId } from './item-focus';
import { below, Heading, type HeadingLevel } from './Heading';

export interface RecommendationsProps {
  recommendations: readonly Recommendation[];
  findings: ReadonlyMap<string, Finding>;
  citations: ReadonlyMap<string, Citation>;
  onOpenFinding: OpenFinding;
  renderFeedback?: (recommendation: Recommendation) => ReactNode;
  /** Recommendations an exclusion withheld, each shown with its reasons ("not recommended because …"). */
  suppressed?: readonly SuppressedRecommendation[];
  heading?: string;
  headingId?: string;
  headingLevel?: HeadingLevel;
}

const PRIORITY_ORDER = { strong: 0, moderate: 1, weak: 2 } as const;

export function strengthText(strength: Recommendation['strength']): string {
  const grade = `${strength.scheme} class ${strength.class}${strength.level ? `, level ${strength.level}` : ''}`;
  return strength.text ? `${grade} (${strength.text})` : grade;
}

export function orderText(order: ProposedOrder): string {
  return order.instruction ?? order.code.display;
}

/** Guideline recommendations: what, why (with the inputs and their dates), how strong, what was checked, the source. */
export function Recommendations({
  recommendations,
  findings,
  citations,
  onOpenFinding,
  renderFeedback,
  suppressed = [],
  heading = 'Recommendations',
  headingId = 'recommendations-heading',
  headingLevel = 2,
}: RecommendationsProps) {
  const ordered = [...recommendations].sort(
    (a, b) => PRIORITY_ORDER[a.priority] - PRIORITY_ORDER[b.priority],
  );
  return (
    <section aria-labelledby={headingId} className="panel">
      <Heading level={headingLevel} id={headingId}>
        {heading}
      </Heading>
      {ordered.length === 0 ? (
        <p>No guideline recommendation applies to this record.</p>
      ) : (
        <ul className="recommendations">
          {ordered.map((recommendation) => (
            <RecommendationItem
              key={recommendation.id}
              recommendation={recommendation}
              findings={findings}
              citations={citations}
              onOpenFinding={onOpenFinding}
              feedback={renderFeedback?.(recommendation)}
              level={below(headingLevel)}
            />
          ))}
        </ul>
      )}
      {suppressed.length > 0 ? (
        <>
          <Heading level={below(headingLevel)}>Not recommended</Heading>
          <ul className="suppressed-recommendations">
            {suppressed.map(({ recommendation, reasons }) => (
              <li key={recommendation.id}>
                <strong>{recommendation.title}</strong>
                {`: not recommended because ${reasons.map((r) => r.reason).join('; ')}.`}
                <CitationList
                  ids={[...new Set(reasons.flatMap((r) => r.citationIds))]}
                  citations={citations}
                />
              </li>
            ))}
          </ul>
        </>
      ) : null}
    </section>
  );
}

function RecommendationItem({
  recommendation,
  findings,
  citations,
  onOpenFinding,
  feedback,
  level,
}: {
  level: HeadingLevel;
  recommendation: Recommendation;
  findings: ReadonlyMap<string, Finding>;
  citations: ReadonlyMap<string, Citation>;
  onOpenFinding: OpenFinding;
  feedback: ReactNode;
}) {
  const titleId = `recommendation-${recommendation.origin}-${recommendation.id}`;
  const inputs = recommendation.findingIds
    .map((id) => findings.get(id))
    .filter((f): f is Finding => f !== undefined);
  const guideline = recommendation.citationIds
    .map((id) => citations.get(id))
    .find((c) => c?.kind === 'guideline');
  const guidelineHref = guideline ? citationHref(guideline) : undefined;
  return (
    <li
      className="recommendation"
      aria-labelledby={titleId}
      {...(recommendation.origin === 'knowledge-model' ? { id: itemElementId(recommendation.id) } : {})}
      tabIndex={-1}
    >
      <div className="item-head">
        <Heading level={level} id={titleId}>
          {recommendation.title}
        </Heading>
        <span className={`badge badge-priority-${recommendation.priority}`}>{recommendation.priority}</span>
        {recommendation.dataComplete ? null : (
          <span className="badge badge-warning">Some inputs missing or old</span>
        )}
      </div>
      <p>
        <strong>Why: </strong>
        {recommendation.rationale}
      </p>
      {recommendation.staleInputs && recommendation.staleInputs.length > 0 ? (
        <>
          <Heading level={below(level)}>Treated as missing</Heading>
          <ul className="stale-inputs">
            {recommendation.staleInputs.map((stale) => {
              const finding = findings.get(stale.findingId);
              const source = stale.citationIds
                .map((id) => citations.get(id))
                .find((c): c is Citation => c !== undefined);
              return (
                <li key={stale.findingId}>
                  {finding ? <FindingRef finding={finding} onOpen={onOpenFinding} /> : stale.label}
                  {` of ${stale.date.slice(0, 10)} is older than this rule's ${
                    stale.lookBackDays ? `${stale.lookBackDays}-day` : `${stale.lookBackMonths}-month`
                  } look-back${
                    source
                      ? ` (${source.authors ?? source.title}, ${source.year})`
                      : stale.citationIds.length === 0
                        ? " (the model's recency setting)"
                        : ''
                  }, so the rule did not use it.`}
                </li>
              );
            })}
          </ul>
        </>
      ) : null}
      {inputs.length > 0 ? (
        <>
          <Heading level={below(level)}>Inputs used</Heading>
          <ul className="inputs">
            {inputs.map((finding) => (
              <li key={finding.id}>
                <FindingRef finding={finding} onOpen={onOpenFinding} />
              </li>
            ))}
          </ul>
        </>
      ) : null}
      <p>
        <strong>Strength: </strong>
        {strengthText(recommendation.strength)}
      </p>
      {recommendation.contraindicationsChecked.length > 0 ? (
        <>
          <Heading level={below(level)}>Contraindications checked</Heading>
          <ul className="checks">
            {recommendation.contraindicationsChecked.map((check) => (
              <li key={check.label} className={check.present ? 'check-present' : 'check-absent'}>
                <span aria-hidden="true">{check.present ? '⚠ ' : '✓ '}</span>
                {check.label}: <strong>{check.present ? 'present' : 'absent'}</strong>
              </li>
            ))}
          </ul>
        </>
      ) : null}
      {recommendation.proposedOrders.length > 0 ? (
        <>
          <Heading level={below(level)}>Proposed orders</Heading>
          <ul>
            {recommendation.proposedOrders.map((order) => (
              <li key={`${order.code.system}|${order.code.code}`}>{orderText(order)}</li>
            ))}
          </ul>
        </>
      ) : null}
      {guideline ? (
        <p className="guideline">
          <strong>Guideline: </strong>
          {guidelineHref ? (
            <ExternalLink href={guidelineHref}>
              {`${guideline.title} (${guideline.authors ?? ''} ${guideline.year})`.replace('( ', '(')}
            </ExternalLink>
          ) : (
            guideline.title
          )}
        </p>
      ) : null}
      <CitationList
        ids={recommendation.citationIds.filter((id) => id !== guideline?.id)}
        citations={citations}
      />
      {feedback}
    </li>
  );
}
