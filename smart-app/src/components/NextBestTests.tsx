import type { Citation, Hypothesis, NextBestTest } from '@rationale/shared-types';
import { CitationList } from './citations';

export interface NextBestTestsProps {
  tests: readonly NextBestTest[];
  hypotheses: readonly Hypothesis[];
  citations: ReadonlyMap<string, Citation>;
  dataGaps: readonly string[];
}

/** Expected change in the leading probabilities as percentage points. */
function changeText(expectedChange: number): string {
  const points = expectedChange * 100;
  return points < 1 ? '<1 percentage point' : `${Math.round(points)} percentage points`;
}

/** The unobserved findings that would move the picture most, largest expected change first. */
export function NextBestTests({ tests, hypotheses, citations, dataGaps }: NextBestTestsProps) {
  const labels = new Map(hypotheses.map((h) => [h.conditionId, h.label]));
  const ranked = [...tests].sort((a, b) => b.expectedChange - a.expectedChange);
  return (
    <section aria-labelledby="next-tests-heading" className="panel">
      <h2 id="next-tests-heading">Next best tests</h2>
      {ranked.length === 0 ? (
        <p>No single test would change the picture much.</p>
      ) : (
        <ol className="tests">
          {ranked.map((test) => (
            <li key={test.id} aria-labelledby={`test-${test.id}`}>
              <h3 id={`test-${test.id}`}>{test.label}</h3>
              <p>
                Expected change: <strong>{changeText(test.expectedChange)}</strong>
                {test.conditionIds.length > 0 ? (
                  <> for {test.conditionIds.map((id) => labels.get(id) ?? id).join(', ')}</>
                ) : null}
              </p>
              <p>{test.rationale}</p>
              <CitationList ids={test.citationIds} citations={citations} />
            </li>
          ))}
        </ol>
      )}
      {dataGaps.length > 0 ? (
        <>
          <h3>Missing from the record</h3>
          <ul>
            {dataGaps.map((gap) => (
              <li key={gap}>{gap}</li>
            ))}
          </ul>
        </>
      ) : null}
    </section>
  );
}
