/**
 * Care context read beyond the problem list: hospice, palliative and comfort care, and dialysis,
 * recorded as Encounters (type, class, hospitalization discharge disposition) or Procedures. The
 * codes come from the terminology layer's published value sets (eCQM hospice, palliative-care and
 * dialysis exclusions); an encounter or procedure counts when it is ongoing or recent.
 */
import type { Coding, Encounter, Finding, PatientRecord } from '@rationale/shared-types';
import { GROUP_RESOURCES, groupsOfConcept, type GroupMatch } from '../terminology';

const DAY_MS = 86_400_000;
/**
 * How recent an encounter or procedure must be to mark the care context now: hospice and
 * palliative care within 12 months (the eCQM hospice exclusion's measurement period), dialysis
 * within 90 days (KDIGO defines kidney failure on dialysis as ongoing treatment).
 */
const LOOK_BACK_DAYS: Readonly<Record<string, number>> = { hospice: 365, 'esrd-dialysis': 90 };
const MAX_LOOK_BACK_DAYS = Math.max(...Object.values(LOOK_BACK_DAYS));

/** Condition-like findings (code = group id) for recent hospice, palliative, comfort or dialysis care. */
export function careContextFindings(
  record: PatientRecord,
  now: Date,
  take: (base: string) => string,
): Finding[] {
  const out: Finding[] = [];
  const nowMs = now.getTime();
  const consider = (
    resourceType: 'Encounter' | 'Procedure',
    id: string,
    concepts: Array<{ coding?: Coding[]; text?: string } | undefined>,
    start: string | undefined,
    end: string | undefined,
    status: string | undefined,
  ): void => {
    if (status === 'entered-in-error' || status === 'cancelled' || status === 'not-done') return;
    if (start && Date.parse(start) > nowMs) return;
    // Most of a long record is years old: skip what no look-back can reach before matching codes.
    const last = end ?? (status === 'in-progress' ? now.toISOString() : start);
    if (last && nowMs - Date.parse(last) > MAX_LOOK_BACK_DAYS * DAY_MS) return;
    const seen = new Set<string>();
    for (const concept of concepts) {
      for (const match of groupsOfConcept(concept)) {
        if (seen.has(match.id) || !(GROUP_RESOURCES.get(match.id) ?? []).includes(resourceType)) continue;
        const lookBack = LOOK_BACK_DAYS[match.id];
        if (lookBack === undefined) continue;
        if (last && nowMs - Date.parse(last) > lookBack * DAY_MS) continue;
        seen.add(match.id);
        out.push(finding(resourceType, id, match, start, concept?.text, take));
      }
    }
  };
  for (const [index, e] of sortById(record.encounters).entries()) {
    const enc = e as Encounter & {
      hospitalization?: { dischargeDisposition?: { coding?: Coding[]; text?: string } };
    };
    consider(
      'Encounter',
      enc.id ?? `idx${index}`,
      [...(enc.type ?? []), enc.hospitalization?.dischargeDisposition, ...(enc.reasonCode ?? [])],
      enc.period?.start,
      enc.period?.end,
      enc.status,
    );
  }
  for (const [index, p] of sortById(record.procedures).entries()) {
    const proc = p;
    consider(
      'Procedure',
      proc.id ?? `idx${index}`,
      [proc.code],
      proc.performedDateTime ?? proc.performedPeriod?.start,
      proc.performedPeriod?.end ?? proc.performedDateTime,
      proc.status,
    );
  }
  return out;
}

function finding(
  resourceType: string,
  id: string,
  match: GroupMatch,
  date: string | undefined,
  text: string | undefined,
  take: (base: string) => string,
): Finding {
  return {
    id: take(`${resourceType === 'Encounter' ? 'enc' : 'proc'}-${id}-${match.id}`),
    code: match.id,
    kind: 'condition',
    label: `${match.label}${text ? `: ${text}` : ''} (${resourceType})`,
    valueText: 'active',
    ...(date ? { date } : {}),
    ...(match.coding ? { coding: match.coding } : {}),
    ...(match.matchedBy === 'text' ? { matchedBy: 'text' as const } : {}),
    sources: [{ reference: `${resourceType}/${id}` }],
  };
}

function sortById<T extends { id?: string }>(items: readonly T[]): T[] {
  return [...items].sort((a, b) => (a.id ?? '').localeCompare(b.id ?? ''));
}
