/**
 * Evidence beyond thresholds (issue 14): what the whole record says about a problem that is not on
 * the problem list. Medications, active and past, by ingredient and drug class (RxNorm clinical
 * drug → ingredient → class through the terminology layer and knowledge/drugs); procedures by
 * SNOMED CT code; the conditions named as the reason for encounters and prescriptions
 * (Encounter.reasonCode/reasonReference, MedicationRequest.reasonCode/reasonReference). One
 * finding per ingredient, procedure or named condition, carrying every source resource and its
 * dates, so a card can say "on metformin since 2019" and the app can show each prescription.
 */
import type {
  Coding,
  Condition,
  Finding,
  MedicationRequest,
  MedicationStatement,
  PatientRecord,
  ResourceRef,
} from '@rationale/shared-types';
import { classifyMedication } from '../knowledge/drugs';
import { matchConditionCodes } from '../knowledge/condition-index';
import type { DateParser } from './dates';

/** One ingredient's use over the record: every prescription or statement of it. */
export interface MedicationUse {
  findingId: string;
  ingredient: string;
  /** Every ingredient of the products (a combination names each). */
  ingredients: string[];
  classes: string[];
  /** True when any request or statement is active (or on hold) as of now. */
  active: boolean;
  /** Earliest and latest date a request was authored or a statement asserted or started. */
  first?: string;
  last?: string;
  sources: ResourceRef[];
}

/** One procedure code's occurrences. */
export interface ProcedureUse {
  findingId: string;
  /** `system|code` of every coding the procedure carried. */
  codes: string[];
  first?: string;
  last?: string;
  count: number;
  sources: ResourceRef[];
}

/** A condition named as the reason for encounters or prescriptions. */
export interface NamedReason {
  findingId: string;
  conditionId: string;
  count: number;
  /** Earliest and latest date the condition was named. */
  first?: string;
  last?: string;
  sources: ResourceRef[];
}

export interface RecordEvidence {
  findings: Finding[];
  medicationUse: MedicationUse[];
  procedures: ProcedureUse[];
  reasons: NamedReason[];
}

/** At most this many source references per aggregated finding (the newest); the count is kept. */
const MAX_SOURCES = 12;
const SNOMED = 'http://snomed.info/sct';

const MED_SKIP = new Set(['entered-in-error', 'cancelled', 'draft', 'not-taken']);
const PROC_SKIP = new Set(['entered-in-error', 'not-done', 'preparation']);
const ACTIVE_USE = new Set(['active', 'on-hold', 'intended']);

const year = (d: string | undefined) => d?.slice(0, 4);
const minDate = (a: string | undefined, b: string | undefined) => (!a ? b : !b ? a : a < b ? a : b);
const maxDate = (a: string | undefined, b: string | undefined) => (!a ? b : !b ? a : a > b ? a : b);

function keepNewest(sources: Array<ResourceRef & { date?: string }>): ResourceRef[] {
  return [...sources]
    .sort((x, y) => (y.date ?? '').localeCompare(x.date ?? '') || x.reference.localeCompare(y.reference))
    .slice(0, MAX_SOURCES)
    .map(({ reference, display }) => (display ? { reference, display } : { reference }));
}

/**
 * Reads medications (any status but entered-in-error, cancelled, draft or not-taken), procedures
 * and reason codes into aggregated findings. Pure; nothing dated after `now` counts.
 */
export function readRecordEvidence(
  record: PatientRecord,
  now: Date,
  take: (base: string) => string,
  parseDate: DateParser = Date.parse,
): RecordEvidence {
  const nowMs = now.getTime();
  const notFuture = (d: string | undefined) => !d || !(parseDate(d) > nowMs);
  const findings: Finding[] = [];
  const medicationUse = readMedicationUse(record, notFuture, take, findings);
  const procedures = readProcedures(record, notFuture, take, findings);
  const reasons = readReasons(record, notFuture, take, findings);
  return { findings, medicationUse, procedures, reasons };
}

function readMedicationUse(
  record: PatientRecord,
  notFuture: (d: string | undefined) => boolean,
  take: (base: string) => string,
  findings: Finding[],
): MedicationUse[] {
  const medById = new Map(record.medications.map((m) => [`Medication/${m.id}`, m]));
  const byIngredient = new Map<
    string,
    Omit<MedicationUse, 'findingId' | 'sources' | 'classes'> & {
      classes: Set<string>;
      sources: Array<ResourceRef & { date?: string }>;
    }
  >();
  const all: Array<{ type: string; r: MedicationRequest | MedicationStatement }> = [
    ...record.medicationRequests.map((r) => ({ type: 'MedicationRequest', r })),
    ...record.medicationStatements.map((r) => ({ type: 'MedicationStatement', r })),
  ];
  for (const [index, { type, r }] of all.entries()) {
    const status = r.status ?? 'unknown';
    if (MED_SKIP.has(status)) continue;
    if ((r as MedicationRequest).doNotPerform) continue;
    const date =
      type === 'MedicationRequest'
        ? (r as MedicationRequest).authoredOn
        : ((r as MedicationStatement).effectivePeriod?.start ??
          (r as MedicationStatement).effectiveDateTime ??
          (r as MedicationStatement).dateAsserted);
    if (!notFuture(date)) continue;
    const concept =
      r.medicationCodeableConcept ??
      (r.medicationReference?.reference ? medById.get(r.medicationReference.reference)?.code : undefined);
    const codings = concept?.coding ?? [];
    const text = concept?.text ?? codings.find((c) => c.display)?.display ?? r.medicationReference?.display;
    const classification = classifyMedication(codings, text);
    if (!classification) continue;
    const active = ACTIVE_USE.has(status);
    const key = classification.ingredient;
    const entry = byIngredient.get(key) ?? {
      ingredient: key,
      ingredients: classification.ingredients ?? [key],
      classes: new Set<string>(),
      active: false,
      sources: [],
    };
    for (const c of classification.classes) entry.classes.add(c);
    entry.active ||= active;
    entry.first = minDate(entry.first, date);
    entry.last = maxDate(entry.last, date);
    entry.sources.push({ reference: `${type}/${r.id ?? index}`, ...(text ? { display: text } : {}), date });
    byIngredient.set(key, entry);
  }
  const out: MedicationUse[] = [];
  for (const entry of [...byIngredient.values()].sort((a, b) => (a.ingredient < b.ingredient ? -1 : 1))) {
    const findingId = take(`med-use-${entry.ingredient.replace(/[^a-z0-9]+/g, '-')}`);
    const since = year(entry.first);
    const label = entry.active
      ? `on ${entry.ingredient}${since ? ` since ${since}` : ''}`
      : `${entry.ingredient} in the past${since ? ` (${since}${year(entry.last) !== since ? `-${year(entry.last)}` : ''})` : ''}`;
    const sources = keepNewest(entry.sources);
    findings.push({
      id: findingId,
      code: `medication-use:${entry.ingredient}`,
      kind: 'medication',
      label,
      valueText: entry.active ? 'active' : 'past',
      ...(entry.first ? { date: entry.first } : {}),
      sources,
    });
    // Built field by field, not as `{ ...entry, sources }`: a copy whose field is then overwritten
    // makes V8 generalize the entries' shape on every call, and throw away the code compiled for it.
    out.push({
      findingId,
      ingredient: entry.ingredient,
      ingredients: entry.ingredients,
      classes: [...entry.classes].sort(),
      active: entry.active,
      first: entry.first,
      last: entry.last,
      sources,
    });
  }
  return out;
}

function readProcedures(
  record: PatientRecord,
  notFuture: (d: string | undefined) => boolean,
  take: (base: string) => string,
  findings: Finding[],
): ProcedureUse[] {
  const byCode = new Map<
    string,
    {
      codes: Set<string>;
      display?: string;
      first?: string;
      last?: string;
      count: number;
      sources: Array<ResourceRef & { date?: string }>;
    }
  >();
  for (const [index, p] of record.procedures.entries()) {
    if (p.status && PROC_SKIP.has(p.status)) continue;
    const date = p.performedDateTime ?? p.performedPeriod?.start;
    if (!notFuture(date)) continue;
    const codings = (p.code?.coding ?? []).filter((c) => c.code);
    const primary = codings.find((c) => c.system === SNOMED) ?? codings[0];
    if (!primary?.code) continue;
    const key = `${primary.system ?? ''}|${primary.code}`;
    const display = p.code?.text ?? primary.display;
    const entry = byCode.get(key) ?? {
      codes: new Set<string>(),
      count: 0,
      sources: [],
      ...(display ? { display } : {}),
    };
    for (const c of codings) entry.codes.add(`${c.system ?? ''}|${c.code ?? ''}`);
    entry.count++;
    entry.first = minDate(entry.first, date);
    entry.last = maxDate(entry.last, date);
    entry.sources.push({ reference: `Procedure/${p.id ?? index}`, ...(display ? { display } : {}), date });
    byCode.set(key, entry);
  }
  const out: ProcedureUse[] = [];
  for (const [key, entry] of [...byCode.entries()].sort(([a], [b]) => (a < b ? -1 : 1))) {
    const findingId = take(`proc-${key.split('|')[1] ?? 'unknown'}`);
    const name = entry.display ?? key;
    const when = year(entry.last);
    const sources = keepNewest(entry.sources);
    findings.push({
      id: findingId,
      code: `procedure:${key}`,
      kind: 'observation',
      label: `${name}${when ? ` (${entry.count > 1 ? `${entry.count} times, latest ` : ''}${when})` : ''}`,
      valueText: 'performed',
      ...(entry.last ? { date: entry.last } : {}),
      sources,
    });
    out.push({
      findingId,
      codes: [...entry.codes],
      first: entry.first,
      last: entry.last,
      count: entry.count,
      sources,
    });
  }
  return out;
}

function readReasons(
  record: PatientRecord,
  notFuture: (d: string | undefined) => boolean,
  take: (base: string) => string,
  findings: Finding[],
): NamedReason[] {
  // By bare id: a bundle's urn:uuid references read as the id alone, a server's as Condition/id.
  const conditionById = new Map<string, Condition>(record.conditions.map((c) => [c.id ?? '', c]));
  const conditionOf = (reference: string | undefined) =>
    reference ? conditionById.get(reference.split('/').pop() ?? '') : undefined;
  const byCondition = new Map<
    string,
    {
      label: string;
      count: number;
      first?: string;
      last?: string;
      sources: Array<ResourceRef & { date?: string }>;
    }
  >();
  // Records repeat the same few reasons on hundreds of visits: each coding list is matched once.
  const matched = new Map<string, ReturnType<typeof matchConditionCodes>>();
  const matchesOf = (codings: Coding[]) => {
    const key = codings.map((c) => `${c.system ?? ''}|${c.code ?? ''}`).join(' ');
    let m = matched.get(key);
    if (!m) {
      m = matchConditionCodes(codings);
      matched.set(key, m);
    }
    return m;
  };
  const note = (
    type: 'Encounter' | 'MedicationRequest',
    id: string,
    date: string | undefined,
    concepts: Array<{ coding?: Coding[]; text?: string }> | undefined,
    references: Array<{ reference?: string }> | undefined,
  ) => {
    // Most visits and prescriptions name no reason: nothing to read, nothing to make.
    if (!concepts?.length && !references?.length) return;
    if (!notFuture(date)) return;
    const named = [
      ...(concepts ?? []),
      ...(references ?? [])
        .map((r) => conditionOf(r.reference)?.code)
        .filter((c): c is NonNullable<typeof c> => c !== undefined),
    ];
    const ids = new Set<string>();
    let source: (ResourceRef & { date?: string }) | undefined;
    for (const concept of named) {
      for (const m of matchesOf(concept.coding ?? [])) {
        if (ids.has(m.id)) continue;
        ids.add(m.id);
        const entry = byCondition.get(m.id) ?? { label: m.label, count: 0, sources: [] };
        entry.count++;
        entry.first = minDate(entry.first, date);
        entry.last = maxDate(entry.last, date);
        entry.sources.push((source ??= { reference: `${type}/${id}`, date }));
        byCondition.set(m.id, entry);
      }
    }
  };
  for (const [index, e] of record.encounters.entries()) {
    if (e.status === 'entered-in-error' || e.status === 'cancelled') continue;
    note('Encounter', e.id ?? String(index), e.period?.start, e.reasonCode, e.reasonReference);
  }
  for (const [index, r] of record.medicationRequests.entries()) {
    if (r.status === 'entered-in-error' || r.status === 'cancelled' || r.status === 'draft') continue;
    note('MedicationRequest', r.id ?? String(index), r.authoredOn, r.reasonCode, r.reasonReference);
  }
  const out: NamedReason[] = [];
  for (const [conditionId, entry] of [...byCondition.entries()].sort(([a], [b]) => (a < b ? -1 : 1))) {
    const findingId = take(`reason-${conditionId}`);
    const sources = keepNewest(entry.sources);
    findings.push({
      id: findingId,
      code: `reason:${conditionId}`,
      kind: 'condition',
      label: `${entry.label} named as the reason for ${entry.count} visit${entry.count === 1 ? '' : 's'} or prescription${entry.count === 1 ? '' : 's'}${entry.last ? ` (latest ${year(entry.last)})` : ''}`,
      valueText: 'reason',
      ...(entry.last ? { date: entry.last } : {}),
      sources,
    });
    out.push({
      findingId,
      conditionId,
      count: entry.count,
      ...(entry.first ? { first: entry.first } : {}),
      ...(entry.last ? { last: entry.last } : {}),
      sources,
    });
  }
  return out;
}
