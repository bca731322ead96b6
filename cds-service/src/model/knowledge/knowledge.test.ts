import { citationSchema } from '@rationale/shared-types';
import { DIAGNOSTIC_KB } from './conditions';
import { DIAGNOSTIC_CONDITION_CODES } from './condition-index';
import { CITATIONS } from './evidence';
import { DIAGNOSIS_CITATIONS } from './evidence/diagnosis';
import { TREATMENT_CITATIONS } from './evidence/treatment';
import { likelihoodRatios, validateKnowledgeBase } from './schema';

const citationIds = new Set(CITATIONS.keys());

describe('diagnostic knowledge base', () => {
  it('gives every prior, likelihood ratio and criterion a citation that resolves', () => {
    for (const c of DIAGNOSTIC_KB.conditions) {
      expect(citationIds.has(c.prior.citationId)).toBe(true);
      for (const e of c.evidence)
        expect([c.id, e.finding, citationIds.has(e.citationId)]).toEqual([c.id, e.finding, true]);
      for (const id of [...c.citationIds, ...(c.criteria?.citationIds ?? [])])
        expect([c.id, id, citationIds.has(id)]).toEqual([c.id, id, true]);
    }
  });

  it('gives every citation a title and a URL, DOI or PMID, with ids unique across both halves', () => {
    for (const c of [...DIAGNOSIS_CITATIONS, ...TREATMENT_CITATIONS]) {
      expect(citationSchema.safeParse(c).success).toBe(true);
      expect(c.title.length).toBeGreaterThan(0);
      expect(Boolean(c.url || c.doi || c.pmid)).toBe(true);
    }
    const ids = [...DIAGNOSIS_CITATIONS, ...TREATMENT_CITATIONS].map((c) => c.id);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('has likelihood ratios that are positive and finite', () => {
    for (const c of DIAGNOSTIC_KB.conditions) {
      for (const e of c.evidence) {
        const { positive, negative } = likelihoodRatios(e);
        expect(Number.isFinite(positive) && positive > 0).toBe(true);
        expect(Number.isFinite(negative) && negative > 0).toBe(true);
      }
    }
  });

  it('covers the agreed condition ids and at least 10 symptom-level conditions', () => {
    const ids = new Set(DIAGNOSTIC_KB.conditions.map((c) => c.id));
    for (const id of [
      't2d',
      'prediabetes',
      'htn',
      'hyperlipidemia',
      'fh',
      'ckd',
      'hfref',
      'af',
      'obesity',
      'anemia-iron-deficiency',
      'anemia',
      'hypothyroidism',
      'hyperthyroidism',
      'aki',
      'hyperkalemia',
      'hyponatremia',
      'masld-fibrosis',
    ]) {
      expect(ids.has(id)).toBe(true);
    }
    const symptomLevel = DIAGNOSTIC_KB.conditions.filter((c) =>
      c.evidence.some((e) => e.finding.startsWith('symptom:')),
    );
    expect(symptomLevel.length).toBeGreaterThanOrEqual(10);
    expect(DIAGNOSTIC_CONDITION_CODES.some((s) => s.id === 'heart-failure')).toBe(true);
  });

  it('rejects an entry whose likelihood ratio cites an unknown source', () => {
    const bad = structuredClone(DIAGNOSTIC_KB) as unknown as {
      conditions: Array<{ evidence: Array<{ citationId: string }> }>;
    };
    const first = bad.conditions[0]?.evidence[0];
    if (first) first.citationId = 'no-such-citation';
    expect(() => validateKnowledgeBase(bad, citationIds)).toThrow(/no-such-citation/);
  });

  it('rejects an entry with a finding the knowledge base does not define', () => {
    const bad = structuredClone(DIAGNOSTIC_KB) as unknown as {
      conditions: Array<{ evidence: Array<{ finding: string }> }>;
    };
    const first = bad.conditions[0]?.evidence[0];
    if (first) first.finding = 'made-up-finding';
    expect(() => validateKnowledgeBase(bad, citationIds)).toThrow(/made-up-finding/);
  });

  it('rejects a prior outside 0-1 and evidence without numbers', () => {
    const badPrior = structuredClone(DIAGNOSTIC_KB) as unknown as {
      conditions: Array<{ prior: { value: number } }>;
    };
    if (badPrior.conditions[0]) badPrior.conditions[0].prior.value = 1.5;
    expect(() => validateKnowledgeBase(badPrior, citationIds)).toThrow();
    const noNumbers = structuredClone(DIAGNOSTIC_KB) as unknown as {
      conditions: Array<{ evidence: Array<Record<string, unknown>> }>;
    };
    const e = noNumbers.conditions[0]?.evidence[0];
    if (e) delete e.lrPositive;
    expect(() => validateKnowledgeBase(noNumbers, citationIds)).toThrow();
  });
});
