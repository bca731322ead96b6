import type { Citation } from '@rationale/shared-types';

/** Where a citation can be read: its URL, else its DOI, else its PubMed record. */
export function citationHref(citation: Citation): string | undefined {
  if (citation.url) return citation.url;
  if (citation.doi) return `https://doi.org/${citation.doi}`;
  if (citation.pmid) return `https://pubmed.ncbi.nlm.nih.gov/${citation.pmid}/`;
  return undefined;
}

/** An external link that opens in a new tab without giving that page a handle on this one. */
export function ExternalLink({ href, children }: { href: string; children: React.ReactNode }) {
  return (
    <a href={href} target="_blank" rel="noopener noreferrer">
      {children}
      <span className="visually-hidden"> (opens in a new tab)</span>
    </a>
  );
}

/** A short inline list of the sources behind a claim, each linking to where it can be read. */
export function CitationList({
  ids,
  citations,
}: {
  ids: readonly string[];
  citations: ReadonlyMap<string, Citation>;
}) {
  const resolved = ids.map((id) => citations.get(id)).filter((c): c is Citation => c !== undefined);
  if (resolved.length === 0) return null;
  return (
    <ul className="citations-inline" aria-label="Sources">
      {resolved.map((citation) => {
        const href = citationHref(citation);
        const text = `${citation.title} (${citation.authors ? `${citation.authors}, ` : ''}${citation.year})`;
        return <li key={citation.id}>{href ? <ExternalLink href={href}>{text}</ExternalLink> : text}</li>;
      })}
    </ul>
  );
}
