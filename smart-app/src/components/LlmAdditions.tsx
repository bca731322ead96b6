import type {
  Citation,
  Finding,
  Hypothesis,
  LlmAdditions as LlmAdditionsData,
  Recommendation,
} from '@rationale/shared-types';
import type { ReactNode } from 'react';
import { CitationList } from './citations';
import { Differential } from './Differential';
import { FindingRef, type OpenFinding } from './FindingButton';
import { Recommendations } from './Recommendations';

export const LLM_HEADING = 'AI reasoner (LLM) — verified against the record';

export interface LlmAdditionsProps {
  llm: LlmAdditionsData;
  findings: ReadonlyMap<string, Finding>;
  citations: ReadonlyMap<string, Citation>;
  onOpenFinding: OpenFinding;
  /** True once the app has stopped polling for a pending result. */
  pollingStopped: boolean;
  onCheckAgain: () => void;
  renderHypothesisFeedback?: (hypothesis: Hypothesis) => ReactNode;
  renderRecommendationFeedback?: (recommendation: Recommendation) => ReactNode;
}

const DROP_REASONS: Record<string, string> = {
  'unknown-finding': 'cited data not in the record',
  'unknown-citation': 'cited a source not in the evidence library',
  'contradicted-value': 'contradicted by a value in the record',
};

/**
 * What the optional LLM reasoner added, set apart from the knowledge model's output and labelled
 * as such. Only claims whose finding and evidence citations resolved survive verification; the
 * number dropped is shown so the reader knows the filter ran.
 */
export function LlmAdditions({
  llm,
  findings,
  citations,
  onOpenFinding,
  pollingStopped,
  onCheckAgain,
  renderHypothesisFeedback,
  renderRecommendationFeedback,
}: LlmAdditionsProps) {
  const dropped = Object.entries(llm.dropped).filter(([, count]) => count > 0);
  return (
    <section aria-labelledby="llm-heading" className="panel panel-llm">
      <h2 id="llm-heading">{LLM_HEADING}</h2>
      <p className="muted">
        These additions come from a large language model. Each claim below was kept only because the record
        data and published sources it cites were found; check them as you would a colleague’s note.
        {llm.model ? ` Model: ${llm.model}${llm.promptVersion ? `, prompt ${llm.promptVersion}` : ''}.` : ''}
      </p>
      {llm.status === 'pending' ? (
        pollingStopped ? (
          <div className="notice">
            <p>
              The AI reasoner has not finished after a minute. The knowledge model’s assessment above stands
              on its own.
            </p>
            <button type="button" className="secondary" onClick={onCheckAgain}>
              Check again
            </button>
          </div>
        ) : (
          <p role="status">The AI reasoner is still working; its additions will appear here.</p>
        )
      ) : llm.status === 'failed' || llm.status === 'timeout' ? (
        <p className="notice">
          The AI reasoner {llm.status === 'timeout' ? 'did not answer in time' : 'failed'}; nothing was added.
          The knowledge model’s assessment above stands on its own.
        </p>
      ) : (
        <>
          {llm.reasoning.length > 0 ? (
            <>
              <h3>Reasoning</h3>
              <ol className="reasoning">
                {llm.reasoning.map((step, index) => (
                  <li key={index}>
                    <p>{step.text}</p>
                    {step.findingIds.length > 0 ? (
                      <ul className="inputs" aria-label="Record data cited">
                        {step.findingIds
                          .map((id) => findings.get(id))
                          .filter((f): f is Finding => f !== undefined)
                          .map((finding) => (
                            <li key={finding.id}>
                              <FindingRef finding={finding} onOpen={onOpenFinding} />
                            </li>
                          ))}
                      </ul>
                    ) : null}
                    <CitationList ids={step.citationIds} citations={citations} />
                  </li>
                ))}
              </ol>
            </>
          ) : null}
          {llm.hypotheses.length > 0 ? (
            <Differential
              hypotheses={llm.hypotheses}
              findings={findings}
              citations={citations}
              onOpenFinding={onOpenFinding}
              heading="Conditions the AI reasoner adds"
              headingId="llm-hypotheses-heading"
              headingLevel={3}
              {...(renderHypothesisFeedback ? { renderFeedback: renderHypothesisFeedback } : {})}
            />
          ) : null}
          {llm.recommendations.length > 0 ? (
            <Recommendations
              recommendations={llm.recommendations}
              findings={findings}
              citations={citations}
              onOpenFinding={onOpenFinding}
              heading="Recommendations the AI reasoner adds"
              headingId="llm-recommendations-heading"
              headingLevel={3}
              {...(renderRecommendationFeedback ? { renderFeedback: renderRecommendationFeedback } : {})}
            />
          ) : null}
          {llm.reasoning.length === 0 && llm.hypotheses.length === 0 && llm.recommendations.length === 0 ? (
            <p>The AI reasoner added nothing that survived verification.</p>
          ) : null}
          {dropped.length > 0 ? (
            <p className="muted">
              Claims removed by verification:{' '}
              {dropped.map(([reason, count]) => `${count} ${DROP_REASONS[reason] ?? reason}`).join('; ')}.
            </p>
          ) : null}
        </>
      )}
    </section>
  );
}
