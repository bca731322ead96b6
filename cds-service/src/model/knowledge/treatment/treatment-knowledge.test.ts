import { citationSchema } from '@rationale/shared-types';
import { CONTEXT_CONDITIONS } from '../context-conditions';
import { DRUGS, STATIN_INTENSITY } from '../drugs';
import { DIAGNOSIS_CITATIONS } from '../evidence/diagnosis';
import { TREATMENT_CITATIONS } from '../evidence/treatment';
import { PROPOSED_ORDERS, TREATMENT_KNOWLEDGE } from './index';

const CITATION_IDS = new Set(TREATMENT_CITATIONS.map((c) => c.id));

/** Every `citationId`/`citationIds` anywhere in a value, with the path it was found at. */
function citationRefs(value: unknown, path = '$'): Array<{ path: string; id: string }> {
  if (Array.isArray(value)) return value.flatMap((v, i) => citationRefs(v, `${path}[${i}]`));
  if (value && typeof value === 'object') {
    return Object.entries(value).flatMap(([k, v]) => {
      if (k === 'citationId' && typeof v === 'string') return [{ path: `${path}.${k}`, id: v }];
      if (k === 'citationIds' && Array.isArray(v))
        return v.map((id, i) => ({ path: `${path}.${k}[${i}]`, id: String(id) }));
      return citationRefs(v, `${path}.${k}`);
    });
  }
  return [];
}

/** Every numeric leaf in the safety and rule tables must sit in an object that carries a citation. */
function uncitedNumbers(value: unknown, path = '$', cited = false): string[] {
  if (Array.isArray(value)) return value.flatMap((v, i) => uncitedNumbers(v, `${path}[${i}]`, cited));
  if (value && typeof value === 'object') {
    const obj = value as Record<string, unknown>;
    const here =
      cited ||
      typeof obj.citationId === 'string' ||
      (Array.isArray(obj.citationIds) && obj.citationIds.length > 0);
    return Object.entries(obj).flatMap(([k, v]) => uncitedNumbers(v, `${path}.${k}`, here));
  }
  return typeof value === 'number' && !cited ? [path] : [];
}

describe('treatment knowledge base', () => {
  it('every citation is valid, has a title and a URL, DOI or PMID, and ids are unique across the library', () => {
    for (const c of TREATMENT_CITATIONS) {
      citationSchema.parse(c);
      expect(c.title.length).toBeGreaterThan(10);
      expect(Boolean(c.url || c.doi || c.pmid)).toBe(true);
    }
    const all = [...DIAGNOSIS_CITATIONS, ...TREATMENT_CITATIONS].map((c) => c.id);
    expect(new Set(all).size).toBe(all.length);
  });

  it('every citation id used by rules, tables, orders and conditions resolves', () => {
    const refs = citationRefs({ ...TREATMENT_KNOWLEDGE, contextConditions: CONTEXT_CONDITIONS });
    expect(refs.length).toBeGreaterThan(100);
    expect(refs.filter((r) => !CITATION_IDS.has(r.id))).toEqual([]);
  });

  it('every number in the rule and safety tables carries a citation', () => {
    const {
      recommendationRules,
      interactions,
      renalRules,
      renalDoseBands,
      conditionRules,
      duplicateGroups,
      pregnancyRules,
      doseLimits,
      allergyCrossReactivity,
    } = TREATMENT_KNOWLEDGE;
    const tables = {
      recommendationRules,
      interactions,
      renalRules,
      renalDoseBands,
      conditionRules,
      duplicateGroups,
      pregnancyRules,
      doseLimits,
      allergyCrossReactivity,
      STATIN_INTENSITY,
    };
    expect(uncitedNumbers(tables)).toEqual([]);
  });

  it('every MME factor belongs to an opioid and the CDC 2022 factors are as published', () => {
    const factors = Object.fromEntries(
      DRUGS.filter((d) => d.mmeFactor !== undefined).map((d) => [d.ingredient, d.mmeFactor]),
    );
    expect(factors).toEqual({
      codeine: 0.15,
      fentanyl: 2.4,
      hydrocodone: 1,
      hydromorphone: 5,
      methadone: 4.7,
      morphine: 1,
      oxycodone: 1.5,
      oxymorphone: 3,
      tapentadol: 0.4,
      tramadol: 0.2,
    });
    for (const d of DRUGS.filter((x) => x.mmeFactor !== undefined)) expect(d.classes).toContain('opioid');
  });

  it('RxNorm codes are unique across ingredients and clinical drugs', () => {
    const codes = DRUGS.flatMap((d) => [
      ...(d.rxnorm ? [d.rxnorm] : []),
      ...(d.clinicalDrugs ?? []).map((c) => c.rxnorm),
    ]);
    expect(new Set(codes).size).toBe(codes.length);
  });

  it('has the breadth the issue asks for', () => {
    expect(TREATMENT_KNOWLEDGE.recommendationRules.length).toBeGreaterThanOrEqual(25);
    expect(TREATMENT_KNOWLEDGE.interactions.length).toBeGreaterThanOrEqual(15);
    expect(DRUGS.length).toBeGreaterThanOrEqual(120);
    const ids = CONTEXT_CONDITIONS.map((c) => c.id);
    for (const id of [
      'ascvd',
      'stroke-tia',
      'mechanical-valve',
      'mitral-stenosis',
      'esrd-dialysis',
      'cirrhosis',
      'active-cancer',
      'sickle-cell',
      'angioedema-history',
      'opioid-use-disorder',
      'breastfeeding',
      'gi-bleed',
      'chronic-pain',
      'type-1-diabetes',
      'asthma',
      'liver-disease',
      'hospice',
    ]) {
      expect(ids).toContain(id);
    }
    expect(CONTEXT_CONDITIONS.find((c) => c.id === 'ascvd')?.snomed).toEqual(
      expect.arrayContaining(['53741008', '22298006', '230690007', '414545008']),
    );
  });

  it('every alternative and proposed-order key resolves to a coded order', () => {
    const keys = [
      ...TREATMENT_KNOWLEDGE.interactions.flatMap((i) => [i.alternativeForA, i.alternativeForB]),
      ...TREATMENT_KNOWLEDGE.renalRules.map((r) => r.alternative),
      ...TREATMENT_KNOWLEDGE.conditionRules.map((r) => r.alternative),
      ...TREATMENT_KNOWLEDGE.pregnancyRules.map((r) => r.alternative),
    ].filter((k): k is string => Boolean(k));
    for (const k of keys) expect(PROPOSED_ORDERS.get(k)).toBeDefined();
    for (const order of PROPOSED_ORDERS.values()) expect(order.code.code).toMatch(/^\d+(-\d)?$/);
  });
});
