/**
 * Guideline links resolve to the guideline itself (issue 19 §5): every evidence link a card can
 * carry (the DOI when the citation has one, else its URL, else its PubMed record) is https and
 * names one document: no search page, no journal home or issue page, no placeholder. A DOI is
 * a DOI and a PMID a number.
 *
 * One kind is held to a different standard, on purpose: a drug label (kind `label`) links to
 * DailyMed's list of the current labels for its ingredient, because each manufacturer files its
 * own label and no single set id is "the" label. The test pins that form so nothing else slips in.
 */
import { CITATIONS } from '../model/knowledge/evidence';
import { citationUrl } from './text';

const all = [...CITATIONS.values()];

/** Why a link is not a document's own address, or undefined when it is. */
function notTheDocument(link: string): string | undefined {
  let url: URL;
  try {
    url = new URL(link);
  } catch {
    return 'not a URL';
  }
  if (url.protocol !== 'https:') return 'not https';
  if (/(^|\.)(example\.(com|org|net)|localhost)$/i.test(url.hostname)) return 'placeholder host';
  if (/todo|placeholder|xxx|tbd/i.test(link)) return 'placeholder text';
  const isSearch = url.pathname.split('/').some((segment) => /^search(\.[a-z]+)?$/i.test(segment));
  if (isSearch || /[?&](term|query|q|search)=/i.test(url.search)) return 'a search page';
  if (url.pathname === '/' || url.pathname === '') return 'a site home page';
  if (/\/issue\/|\/toc\/|\/current-issue/i.test(url.pathname)) return 'a journal issue page';
  if (url.hostname === 'doi.org' && !/^\/10\.\d{4,9}\/\S+$/.test(url.pathname)) return 'a malformed DOI';
  return undefined;
}

describe('evidence links on cards', () => {
  it('the knowledge base has citations to check', () => {
    expect(all.length).toBeGreaterThan(50);
  });

  it.each(all.filter((c) => c.kind !== 'label').map((c) => [c.id, c] as const))(
    '%s links to the document itself',
    (_id, citation) => {
      const link = citationUrl(citation);
      expect(link).toBeDefined();
      expect({ link, problem: notTheDocument(link as string) }).toEqual({ link, problem: undefined });
      // The URL the app shows beside the DOI is held to the same standard.
      if (citation.url)
        expect({ url: citation.url, problem: notTheDocument(citation.url) }).toEqual({
          url: citation.url,
          problem: undefined,
        });
      if (citation.doi) expect(citation.doi).toMatch(/^10\.\d{4,9}\/\S+$/);
      if (citation.pmid) expect(citation.pmid).toMatch(/^\d{1,9}$/);
    },
  );

  it('a drug label links to DailyMed’s current labels for its ingredient, and nothing else', () => {
    const labels = all.filter((c) => c.kind === 'label');
    expect(labels.length).toBeGreaterThan(0);
    for (const label of labels) {
      const url = new URL(citationUrl(label) as string);
      expect(`${url.origin}${url.pathname}`).toBe('https://dailymed.nlm.nih.gov/dailymed/search.cfm');
      expect(url.searchParams.get('labeltype')).toBe('all');
      expect(url.searchParams.get('query')).toMatch(/^[a-z][a-z -]+$/);
    }
  });

  it('the 2025 AHA/ACC high blood pressure guideline links to its DOI', () => {
    expect(citationUrl(CITATIONS.get('aha-acc-2025-htn')!)).toBe(
      'https://doi.org/10.1161/CIR.0000000000001356',
    );
  });

  it('rejects the kinds of link this test exists to catch', () => {
    expect(notTheDocument('https://pubmed.ncbi.nlm.nih.gov/?term=anemia')).toBe('a search page');
    expect(notTheDocument('https://dailymed.nlm.nih.gov/dailymed/search.cfm?labeltype=all')).toBe(
      'a search page',
    );
    expect(notTheDocument('https://diabetesjournals.org/care/issue/48/Supplement_1')).toBe(
      'a journal issue page',
    );
    expect(notTheDocument('https://crediblemeds.org')).toBe('a site home page');
    expect(notTheDocument('https://example.org/guideline')).toBe('placeholder host');
    expect(notTheDocument('http://kdigo.org/guidelines/acute-kidney-injury/')).toBe('not https');
    expect(notTheDocument('https://doi.org/10.1161/CIR.0000000000001356')).toBeUndefined();
  });
});
