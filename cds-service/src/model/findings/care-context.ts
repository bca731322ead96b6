/**
 * Care context read beyond the problem list: hospice, palliative and comfort care, and dialysis,
 * recorded as Encounters (type, hospitalization discharge disposition, reason), Procedures,
 * ServiceRequests (an order or referral) or CarePlans (category, activity). The codes come from the
 * terminology layer's published value sets (eCQM hospice, palliative-care and dialysis exclusions);
 * a resource counts when it is ongoing or recent. Which statuses count follows the eCQM Status
 * library (cqframework/ecqm-content-qicore-2024 input/cql/Status.cql): an intervention order is
 * `active` or `completed` with intent `order`, a performed procedure is not `not-done`; the
 * Hospice library (input/cql/Hospice.cql) reads "Hospice Care Ambulatory" from ServiceRequest and
 * Procedure alike. Observations count as those libraries retrieve them (terminology layer
 * `groupsOfObservation`): a Hospice care [Minimum Data Set] assessment answered Yes (Hospice), a
 * FACIT-Pal assessment (PalliativeCare); a performed assessment is `final`, `amended` or
 * `corrected` (Status `isAssessmentPerformed`), its `survey` category not required (read liberally).
 */
import type {
  CarePlan,
  Coding,
  Encounter,
  Finding,
  Observation,
  PatientRecord,
} from '@rationale/shared-types';
import {
  GROUP_RESOURCES,
  groupsOfConcept,
  groupsOfObservation,
  observationRuleApplies,
  type GroupMatch,
} from '../terminology';
import type { DateParser } from './dates';

const DAY_MS = 86_400_000;
/**
 * How recent an encounter or procedure must be to mark the care context now: hospice and
 * palliative care within 12 months (the eCQM hospice exclusion's measurement period), dialysis
 * within 90 days (KDIGO defines kidney failure on dialysis as ongoing treatment).
 */
const LOOK_BACK_DAYS: Readonly<Record<string, number>> = { hospice: 365, 'esrd-dialysis': 90 };
const MAX_LOOK_BACK_DAYS = Math.max(...Object.values(LOOK_BACK_DAYS));
/** Statuses that say the thing did not (or does not) happen. */
const NOT_HAPPENING = new Set(['entered-in-error', 'cancelled', 'not-done', 'revoked', 'draft']);
/** FHIR R4 request-intent codes that are orders (the `order` code and its specializations). */
const ORDER_INTENTS = new Set(['order', 'original-order', 'reflex-order', 'filler-order', 'instance-order']);
type CareResource = 'Encounter' | 'Procedure' | 'ServiceRequest' | 'CarePlan' | 'Observation';
const ID_PREFIX: Readonly<Record<CareResource, string>> = {
  Encounter: 'enc',
  Procedure: 'proc',
  ServiceRequest: 'sr',
  CarePlan: 'cp',
  Observation: 'obs',
};
/** Observation statuses of an assessment performed (eCQM Status library `isAssessmentPerformed`). */
const ASSESSMENT_PERFORMED = new Set(['final', 'amended', 'corrected']);

/** Condition-like findings (code = group id) for recent hospice, palliative, comfort or dialysis care. */
export function careContextFindings(
  record: PatientRecord,
  now: Date,
  take: (base: string) => string,
  parseDate: DateParser = Date.parse,
): Finding[] {
  const out: Finding[] = [];
  const nowMs = now.getTime();
  const consider = (
    resourceType: CareResource,
    id: string,
    concepts: () => Array<{ coding?: Coding[]; text?: string } | undefined>,
    start: string | undefined,
    end: string | undefined,
    status: string | undefined,
  ): void => {
    if (status !== undefined && NOT_HAPPENING.has(status)) return;
    if (start && parseDate(start) > nowMs) return;
    // Most of a long record is years old: skip what no look-back can reach before matching codes.
    const ongoing = status === 'in-progress' || (resourceType === 'CarePlan' && status === 'active');
    const last = ongoing ? now.toISOString() : (end ?? start);
    if (last && nowMs - parseDate(last) > MAX_LOOK_BACK_DAYS * DAY_MS) return;
    const seen = new Set<string>();
    for (const concept of concepts()) {
      for (const match of groupsOfConcept(concept)) {
        if (seen.has(match.id) || !(GROUP_RESOURCES.get(match.id) ?? []).includes(resourceType)) continue;
        const lookBack = LOOK_BACK_DAYS[match.id];
        if (lookBack === undefined) continue;
        if (last && nowMs - parseDate(last) > lookBack * DAY_MS) continue;
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
      () => [...(enc.type ?? []), enc.hospitalization?.dischargeDisposition, ...(enc.reasonCode ?? [])],
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
      () => [proc.code],
      proc.performedDateTime ?? proc.performedPeriod?.start,
      proc.performedPeriod?.end ?? proc.performedDateTime,
      proc.status,
    );
  }
  for (const [index, sr] of sortById(record.serviceRequests).entries()) {
    // An order or referral that is in force or done; a proposal, a plan or "do not perform" is not care given.
    if (sr.doNotPerform === true || (sr.intent !== undefined && !ORDER_INTENTS.has(sr.intent))) continue;
    if (sr.status !== undefined && sr.status !== 'active' && sr.status !== 'completed') continue;
    const date = sr.authoredOn ?? sr.occurrenceDateTime;
    consider(
      'ServiceRequest',
      sr.id ?? `idx${index}`,
      () => [sr.code, ...(sr.category ?? [])],
      date,
      date,
      sr.status,
    );
  }
  for (const [index, cp] of sortById(record.carePlans).entries()) {
    if (cp.status !== undefined && !['active', 'on-hold', 'completed'].includes(cp.status)) continue;
    consider(
      'CarePlan',
      cp.id ?? `idx${index}`,
      () => carePlanConcepts(cp),
      cp.period?.start ?? cp.created,
      cp.period?.end,
      cp.status,
    );
  }
  // Few records hold an observation the rules read (hospice assessments): look for one first.
  if (!record.observations.some(observationRuleApplies)) return out;
  for (const [index, o] of sortById(record.observations).entries()) {
    if (o.status !== undefined && !ASSESSMENT_PERFORMED.has(o.status)) continue;
    const { start, end } = effective(o);
    if (start && parseDate(start) > nowMs) continue;
    const last = end ?? start;
    if (last && nowMs - parseDate(last) > MAX_LOOK_BACK_DAYS * DAY_MS) continue;
    const id = o.id ?? `idx${index}`;
    for (const m of groupsOfObservation(o)) {
      const lookBack = LOOK_BACK_DAYS[m.id];
      if (lookBack === undefined || (last && nowMs - parseDate(last) > lookBack * DAY_MS)) continue;
      const answer = m.rule.value?.display?.replace(/ \(qualifier value\)$/, '');
      const match: GroupMatch = { id: m.id, label: m.label, coding: m.coding, matchedBy: 'code' };
      const what = `${m.rule.code.display ?? m.rule.code.code}${answer ? `: ${answer}` : ''}; eCQM ${m.rule.library} ${m.rule.version}`;
      out.push(finding('Observation', id, match, start, what, take));
    }
  }
  return out;
}

/** When an Observation was made: effectiveDateTime, effectivePeriod or effectiveInstant. */
function effective(o: Observation): { start?: string; end?: string } {
  const x = o as Observation & { effectiveInstant?: string };
  const start = o.effectiveDateTime ?? o.effectivePeriod?.start ?? x.effectiveInstant ?? o.issued;
  const end = o.effectivePeriod?.end ?? start;
  return { ...(start ? { start } : {}), ...(end ? { end } : {}) };
}

/** A care plan's category and the codes of its activities: where EHRs put "hospice" or "comfort care". */
function carePlanConcepts(cp: CarePlan): Array<{ coding?: Coding[]; text?: string } | undefined> {
  return [...(cp.category ?? []), ...(cp.activity ?? []).map((a) => a.detail?.code)];
}

function finding(
  resourceType: CareResource,
  id: string,
  match: GroupMatch,
  date: string | undefined,
  text: string | undefined,
  take: (base: string) => string,
): Finding {
  return {
    id: take(`${ID_PREFIX[resourceType]}-${id}-${match.id}`),
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
