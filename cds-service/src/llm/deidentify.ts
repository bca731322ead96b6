/**
 * The de-identified, minimized summary that is all an LLM endpoint ever receives (DESIGN.md §5).
 *
 * HIPAA Safe Harbor (45 CFR 164.514(b)(2)) lists 18 identifiers; the summary is built from the
 * knowledge model's findings, not from the raw record, so names, addresses, contact details,
 * record and account numbers and free text never enter it. What remains is made safe here:
 * - FHIR resource ids are replaced by opaque finding ids (F1, F2, ...), mapped back on return;
 * - every date is shifted by a per-patient offset derived from a secret (intervals are kept);
 * - ages over 89 are grouped as "90+", and no birth date is sent;
 * - strings are scrubbed of any name, identifier, address or telecom value the record holds for the
 *   patient, in case a coded display carried one.
 */
import { createHmac } from 'node:crypto';
import type { Assessment, Citation, Finding, PatientRecord } from '@rationale/shared-types';

export interface DeidentifiedSummary {
  patient: { age: string; sex: string; pregnant: boolean };
  today: string;
  findings: Array<{
    id: string;
    code: string;
    kind: string;
    label: string;
    value?: number;
    unit?: string;
    date?: string;
  }>;
  modelHypotheses: Array<{ label: string; status: string; probability: number; findingIds: string[] }>;
  modelRecommendations: Array<{ title: string; kind: string; findingIds: string[] }>;
  scores: Array<{ label: string; value: number; unit?: string; interpretation: string }>;
  evidence: Array<{ id: string; title: string; year: number; kind: string }>;
}

export interface Deidentified {
  summary: DeidentifiedSummary;
  /** Opaque id (F1) → the assessment's finding. */
  findingsByAlias: Map<string, Finding>;
  /** The assessment's finding id → opaque id. */
  aliasByFindingId: Map<string, string>;
  evidenceIds: Set<string>;
  shiftDays: number;
}

const DAY_MS = 86_400_000;
/** Offsets fall in ±365 days, never 0, so no real date can pass through unchanged. */
const MAX_SHIFT_DAYS = 365;

/** The per-patient date offset: stable for a patient and secret, unguessable without the secret. */
export function dateShiftDays(secret: string, patientRef: string): number {
  const digest = createHmac('sha256', secret).update(patientRef).digest();
  const magnitude = (digest.readUInt32BE(0) % MAX_SHIFT_DAYS) + 1;
  return (digest[4]! & 1) === 0 ? magnitude : -magnitude;
}

const ISO_DATE = /\b(\d{4})-(\d{2})-(\d{2})(T[0-9:.]+(?:Z|[+-]\d{2}:\d{2})?)?/g;

/** Shifts every ISO date in a string by `days`, keeping only the date part. */
export function shiftDatesIn(text: string, days: number): string {
  return text.replace(ISO_DATE, (match, y: string, m: string, d: string) => {
    const t = Date.UTC(Number(y), Number(m) - 1, Number(d));
    if (Number.isNaN(t)) return match;
    return new Date(t + days * DAY_MS).toISOString().slice(0, 10);
  });
}

/** Groups ages over 89, as Safe Harbor requires. */
export function ageBand(ageYears: number | undefined): string {
  if (ageYears === undefined) return 'unknown';
  return ageYears > 89 ? '90+' : String(Math.floor(ageYears));
}

/** Every identifying string the record holds for the patient, longest first. */
function identifyingStrings(record: PatientRecord): string[] {
  const p = record.patient;
  const values = new Set<string>();
  const add = (v: string | undefined) => {
    const s = v?.trim();
    if (s && s.length >= 3) values.add(s);
  };
  for (const name of p.name ?? []) {
    add(name.text);
    add(name.family);
    for (const g of name.given ?? []) add(g);
  }
  for (const id of p.identifier ?? []) add(id.value);
  for (const t of p.telecom ?? []) add(t.value);
  for (const a of p.address ?? []) {
    add(a.text);
    add(a.city);
    add(a.postalCode);
    for (const line of a.line ?? []) add(line);
  }
  add(p.id);
  add(p.birthDate);
  return [...values].sort((a, b) => b.length - a.length);
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * Builds the summary for one assessment. `secret` keys the date shift; the same patient always
 * gets the same offset under the same secret.
 */
export function deidentify(
  record: PatientRecord,
  assessment: Assessment,
  citations: readonly Citation[],
  secret: string,
): Deidentified {
  const shiftDays = dateShiftDays(secret, assessment.patient.reference);
  const identifiers = identifyingStrings(record).map((s) => new RegExp(escapeRegExp(s), 'gi'));
  const clean = (text: string): string =>
    shiftDatesIn(
      identifiers.reduce((t, re) => t.replace(re, '[redacted]'), text),
      shiftDays,
    );

  const findingsByAlias = new Map<string, Finding>();
  const aliasByFindingId = new Map<string, string>();
  assessment.findings.forEach((f, i) => {
    const alias = `F${i + 1}`;
    findingsByAlias.set(alias, f);
    aliasByFindingId.set(f.id, alias);
  });
  const aliases = (ids: string[]) =>
    ids.map((id) => aliasByFindingId.get(id)).filter((a): a is string => !!a);

  const summary: DeidentifiedSummary = {
    patient: {
      age: ageBand(assessment.patient.ageYears),
      sex: assessment.patient.sex ?? 'unknown',
      pregnant: assessment.findings.some((f) => f.kind === 'pregnancy'),
    },
    today: shiftDatesIn(assessment.assessedAt.slice(0, 10), shiftDays),
    findings: assessment.findings.map((f) => ({
      id: aliasByFindingId.get(f.id)!,
      code: f.code,
      kind: f.kind,
      label: clean(f.label),
      ...(f.value !== undefined ? { value: f.value } : {}),
      ...(f.unit ? { unit: f.unit } : {}),
      ...(f.date ? { date: shiftDatesIn(f.date, shiftDays) } : {}),
    })),
    modelHypotheses: assessment.hypotheses
      .filter((h) => h.status !== 'unlikely')
      .map((h) => ({
        label: clean(h.label),
        status: h.status,
        probability: Math.round(h.posterior * 1000) / 1000,
        findingIds: aliases(h.contributions.map((c) => c.findingId).filter((id): id is string => !!id)),
      })),
    modelRecommendations: assessment.recommendations.map((r) => ({
      title: clean(r.title),
      kind: r.kind,
      findingIds: aliases(r.findingIds),
    })),
    scores: assessment.scores.map((s) => ({
      label: s.label,
      value: s.value,
      ...(s.unit ? { unit: s.unit } : {}),
      interpretation: clean(s.interpretation),
    })),
    evidence: citations.map((c) => ({ id: c.id, title: c.title, year: c.year, kind: c.kind })),
  };
  return {
    summary,
    findingsByAlias,
    aliasByFindingId,
    evidenceIds: new Set(citations.map((c) => c.id)),
    shiftDays,
  };
}
