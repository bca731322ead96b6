import type { CantMiss, Citation, UnmetPremise } from '@rationale/shared-types';
import { formatProbability, URGENCY_LABEL } from '@rationale/shared-types/src/format';
import { CitationList } from './citations';

export interface ImportantToConsiderProps {
  items: readonly CantMiss[];
  citations: ReadonlyMap<string, Citation>;
}

/**
 * Can't-miss acute problems the current encounter's data support, listed apart from the
 * probability ranking (DXplain's "important to consider"): what supports it, the one thing to do,
 * the tests that settle it, and the differential's estimate shown beside it, not as its rank.
 */
export function ImportantToConsider({ items, citations }: ImportantToConsiderProps) {
  if (items.length === 0) return null;
  return (
    <section aria-labelledby="cant-miss-heading" className="panel">
      <h2 id="cant-miss-heading">Important to consider</h2>
      <ul className="cant-miss">
        {items.map((item) => (
          <li key={item.id} aria-labelledby={`cant-miss-${item.id}`}>
            <h3 id={`cant-miss-${item.id}`}>
              {item.label} <span className="muted">({URGENCY_LABEL[item.urgency.class]})</span>
            </h3>
            <p>Supported by: {item.support}</p>
            <p>Do: {item.action}</p>
            {item.nextTests.length > 0 ? <p>Tests: {item.nextTests.map((t) => t.label).join(', ')}</p> : null}
            <p>
              Why it cannot wait: {item.urgency.basis}.
              {item.posterior !== undefined
                ? ` The differential's estimate is ${formatProbability(item.posterior)}; it is listed here for its urgency, not its probability.`
                : ''}
            </p>
            <CitationList ids={item.citationIds} citations={citations} />
          </li>
        ))}
      </ul>
    </section>
  );
}

export interface UnmetPremisesProps {
  items: readonly UnmetPremise[];
}

/** Advice the rules withheld because a premise they declare was not met, with what was missing. */
export function UnmetPremises({ items }: UnmetPremisesProps) {
  if (items.length === 0) return null;
  return (
    <section aria-labelledby="unmet-premises-heading" className="panel">
      <h2 id="unmet-premises-heading">Advice withheld: premise not met</h2>
      <ul>
        {items.map((item) => (
          <li key={`${item.ruleId}-${item.title}`} aria-label={item.title}>
            <strong>{item.title}</strong>
            <ul>
              {item.premises
                .filter((p) => !p.met)
                .map((p) => (
                  <li key={p.id}>
                    Missing: {p.label} ({p.detail})
                  </li>
                ))}
            </ul>
          </li>
        ))}
      </ul>
    </section>
  );
}
