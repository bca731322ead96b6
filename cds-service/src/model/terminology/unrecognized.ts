/**
 * What the terminology layer could not read in a record: the codings of Conditions,
 * Observations, medications and allergies from which no finding came, counted by system and code
 * so the monitoring page shows an informaticist which of the site's codes the model misses.
 */
import type { Assessment, Coding, Finding, PatientRecord, UnrecognizedCoding } from '@rationale/shared-types';
import type { PatientFacts } from '../facts';

const CAPITAL_C = 'C'.charCodeAt(0);
const CAPITAL_O = 'O'.charCodeAt(0);

/** At most this many distinct codings are listed (most frequent first); the count covers all. */
const MAX_LISTED = 50;

/** The Assessment's `terminology` summary for one record. O(resources), no scanning of tables. */
export function summarizeTerminology(
  record: PatientRecord,
  facts: PatientFacts,
): NonNullable<Assessment['terminology']> {
  // Only Conditions and Observations are looked up below: other references are not kept.
  const read = new Set<string>();
  for (const f of facts.findings)
    for (const s of f.sources) {
      const first = s.reference.charCodeAt(0);
      if (first === CAPITAL_C || first === CAPITAL_O) read.add(s.reference);
    }
  const counts = new Map<string, UnrecognizedCoding>();
  let total = 0;
  const count = (resourceType: string, codings: Coding[] | undefined): void => {
    total++;
    const c = codings?.find((x) => x.code) ?? codings?.[0];
    const system = c?.system ?? '';
    const code = c?.code ?? '';
    const key = `${resourceType}|${system}|${code}`;
    const entry = counts.get(key);
    if (entry) entry.count++;
    else counts.set(key, { resourceType, system, code, count: 1 });
  };
  record.conditions.forEach((c, i) => {
    if (!read.has(`Condition/${c.id ?? i}`)) count('Condition', c.code?.coding);
  });
  record.observations.forEach((o, i) => {
    if (o.status === 'entered-in-error' || o.status === 'cancelled') return;
    if (!read.has(`Observation/${o.id ?? i}`)) count('Observation', o.code?.coding);
  });
  for (const m of facts.medications) {
    if (m.classes.length > 0) continue;
    const type = m.source.reference.split('/')[0] ?? 'MedicationRequest';
    count(type, m.rxnorm ? [{ system: 'http://www.nlm.nih.gov/research/umls/rxnorm', code: m.rxnorm }] : []);
  }
  for (const a of facts.allergies) {
    if (a.classes.length > 0 || a.ingredients.length > 0) continue;
    const allergy = record.allergies.find((x, i) => `AllergyIntolerance/${x.id ?? i}` === a.source.reference);
    count('AllergyIntolerance', allergy?.code?.coding);
  }
  const unrecognized = [...counts.values()]
    .sort(
      (a, b) =>
        b.count - a.count || a.resourceType.localeCompare(b.resourceType) || a.code.localeCompare(b.code),
    )
    .slice(0, MAX_LISTED);
  return { unrecognizedCount: total, unrecognized, textMatches: countTextMatches(facts.findings) };
}

function countTextMatches(findings: Finding[]): number {
  return findings.filter((f) => f.matchedBy === 'text').length;
}
