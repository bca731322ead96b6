import type { Citation } from '@rationale/shared-types';
import { ExternalLink } from './citations';

const KIND_TEXT: Record<Citation['kind'], string> = {
  guideline: 'Guideline',
  study: 'Study',
  review: 'Review',
  label: 'Drug label',
  standard: 'Standard',
  regulation: 'Regulation',
};

/** Every source the assessment rests on, with each of its identifiers as a link. */
export function Evidence({ citations }: { citations: readonly Citation[] }) {
  const ordered = [...citations].sort((a, b) => a.title.localeCompare(b.title));
  return (
    <section aria-labelledby="evidence-heading" className="panel">
      <h2 id="evidence-heading">Evidence</h2>
      {ordered.length === 0 ? (
        <p>No sources were cited.</p>
      ) : (
        <ol className="evidence">
          {ordered.map((citation) => (
            <li key={citation.id} id={`citation-${citation.id}`}>
              <span className="badge badge-kind">{KIND_TEXT[citation.kind]}</span>{' '}
              <cite>{citation.title}</cite>. {citation.authors ? `${citation.authors}. ` : ''}
              {citation.journal ? <em>{citation.journal}</em> : null}
              {citation.journal ? '. ' : ''}
              {citation.year}.
              <span className="evidence-links">
                {citation.doi ? (
                  <ExternalLink
                    href={`https://doi.org/${citation.doi}`}
                  >{`DOI ${citation.doi}`}</ExternalLink>
                ) : null}
                {citation.pmid ? (
                  <ExternalLink
                    href={`https://pubmed.ncbi.nlm.nih.gov/${citation.pmid}/`}
                  >{`PMID ${citation.pmid}`}</ExternalLink>
                ) : null}
                {citation.url ? <ExternalLink href={citation.url}>Source</ExternalLink> : null}
              </span>
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}
