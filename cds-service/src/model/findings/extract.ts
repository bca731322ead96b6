import type {
  AllergyIntolerance,
  Coding,
  Condition,
  Finding,
  MedicationRequest,
  MedicationStatement,
  Observation,
  PatientRecord,
} from '@rationale/shared-types';
import { displayUnit } from '@rationale/shared-types';
import type { AllergyFact, LabValue, MedicationFact, PatientFacts } from '../facts';
import { classifyAllergy, classifyMedication } from '../knowledge/drugs';
import { matchConditionCodes } from '../knowledge/condition-index';
import { findDeclinedTherapies } from '../recommendations/declined';
import { dailyDoseMg } from '../scores/mme';
import * as codes from './codes';
import {
  ABSENT_SNOMED,
  AF_SNOMED,
  ANALYTE_LABELS,
  CURRENT_SMOKER_CODES,
  HCG_LOINC,
  NON_SMOKER_CODES,
  POSITIVE_SNOMED,
  PREGNANCY_CONDITION_SNOMED,
  PREGNANCY_ICD10_PREFIXES,
  PREGNANCY_STATUS_LOINC,
  PREGNANT_SNOMED,
  VITAL_ANALYTES,
} from './codes';
import { inGroup, LOINC_GROUP_ANALYTES } from '../terminology';
import { careContextFindings } from './care-context';
import { dateParser, type DateParser } from './dates';
import { readRecordEvidence } from './record-evidence';
import { deriveTrendFindings } from './trends';
import { CANONICAL_UNITS, toCanonical } from './units';
import { isRefuted } from '../verification';

const DAY_MS = 86_400_000;
/** 42 weeks (post-term pregnancy, ACOG) plus the 6-week puerperium: the longest a pregnancy lasts. */
const PREGNANCY_MAX_DAYS = 42 * 7 + 42;
// Local snapshots of the code tables: module-namespace getters are slow in hot loops.
// The knowledge base's LOINC codes, then the published LOINC groups (terminology layer).
const LOINC_TO_ANALYTE: Readonly<Record<string, string>> = {
  ...Object.fromEntries(LOINC_GROUP_ANALYTES),
  ...codes.LOINC_ANALYTES,
};
const SYMPTOMS = codes.SYMPTOM_CODES;
const SNOMED_SYSTEM = codes.SNOMED;
const ICD_SYSTEM = codes.ICD10CM;
const LOINC_SYSTEM = codes.LOINC;

/** What the extraction builds up as it reads the record, resource by resource. */
interface Extraction {
  nowMs: number;
  /** `Date.parse`, each distinct text parsed once for this record. */
  parseDate: DateParser;
  findings: Finding[];
  ids: IdAllocator;
  recordedConditions: Map<string, Finding[]>;
  labs: Map<string, LabValue[]>;
  pregnant: boolean;
  smoking?: { date: string; current: boolean };
}

/**
 * Normalizes a patient record into PatientFacts: coded conditions mapped to knowledge-base
 * condition ids, observations to analytes in canonical units, medications and allergies to drug
 * classes, pregnancy, age and sex, plus trend findings (KDIGO chronicity, KDIGO AKI). Pure: the
 * same record and `now` always give the same facts; nothing dated after `now` is used.
 */
export function extractFacts(record: PatientRecord, now: Date): PatientFacts {
  const x: Extraction = {
    nowMs: now.getTime(),
    parseDate: dateParser(),
    findings: [],
    ids: new IdAllocator(),
    recordedConditions: new Map(),
    labs: new Map(),
    pregnant: false,
  };
  const patient = record.patient;
  const patientRef = `Patient/${patient.id ?? 'unknown'}`;
  const ageYears = patient.birthDate ? ageAt(patient.birthDate, now) : undefined;
  const sex = patient.gender;
  readDemographics(x, patient, patientRef, ageYears);

  // Conditions: active ones are recorded; resolved/inactive ones become history findings.
  for (const [index, condition] of sortById(record.conditions).entries()) readCondition(x, condition, index);

  // Observations: labs, vitals, BP panels, ECG rhythm, symptoms, smoking, pregnancy.
  for (const [index, obs] of sortById(record.observations).entries()) readObservation(x, obs, index);
  for (const [analyte, values] of x.labs) x.labs.set(analyte, sortNewestFirst(values));

  const medications = readMedications(x, record);
  const allergies = readAllergies(x, record);

  const { findings, recordedConditions, labs } = x;
  const facts: PatientFacts = {
    now,
    patientRef,
    ageYears,
    sex,
    pregnant: x.pregnant && sex !== 'male',
    findings,
    recordedConditions,
    labs,
    medications,
    allergies,
    currentSmoker: x.smoking?.current,
    usCoreRace: usCoreRace(patient),
    declinedTherapies: findDeclinedTherapies(record, now),
  };
  for (const found of careContextFindings(record, now, (base) => x.ids.take(base), x.parseDate)) {
    findings.push(found);
    push(recordedConditions, found.code, found);
  }
  const evidence = readRecordEvidence(record, now, (base) => x.ids.take(base), x.parseDate);
  findings.push(...evidence.findings);
  facts.medicationUse = evidence.medicationUse;
  facts.procedures = evidence.procedures;
  facts.reasons = evidence.reasons;
  for (const trend of deriveTrendFindings(facts)) facts.findings.push(trend);
  return facts;
}

/** Age and sex findings. */
function readDemographics(
  x: Extraction,
  patient: PatientRecord['patient'],
  patientRef: string,
  ageYears: number | undefined,
): void {
  const sex = patient.gender;
  if (ageYears !== undefined) {
    x.findings.push({
      id: 'patient-age',
      code: 'age',
      kind: 'demographic',
      label: `Age ${ageYears} years`,
      value: ageYears,
      unit: 'a',
      date: patient.birthDate,
      sources: [{ reference: patientRef }],
    });
  }
  if (sex) {
    x.findings.push({
      id: 'patient-sex',
      code: 'sex',
      kind: 'demographic',
      label: `Sex ${sex}`,
      valueText: sex,
      sources: [{ reference: patientRef }],
    });
  }
}

/** One Condition: recorded (active) or history findings per matched condition, a symptom, pregnancy. */
function readCondition(x: Extraction, condition: Condition, index: number): void {
  const { nowMs, ids } = x;
  if (isRefuted(condition)) return;
  const date = conditionDate(condition);
  if (date && x.parseDate(date) > nowMs) return;
  const codings = condition.code?.coding ?? [];
  const active = isActiveCondition(condition);
  const ref = { reference: `Condition/${condition.id ?? index}`, display: codeText(condition.code) };
  const baseId = `cond-${condition.id ?? `idx${index}`}`;
  const matches = matchConditionCodes(codings, undefined, condition.code?.text);
  if (active && (isPregnancyCoding(codings) || matches.some((m) => m.id === 'pregnancy'))) {
    // A pregnancy left active on the problem list long after it must have ended is not read.
    if (!date || nowMs - x.parseDate(date) <= PREGNANCY_MAX_DAYS * DAY_MS) x.pregnant = true;
  }
  for (const match of matches) {
    const finding: Finding = {
      id: ids.take(`${baseId}-${match.id}`),
      code: active ? match.id : `history:${match.id}`,
      kind: 'condition',
      label: `${active ? '' : 'History of '}${codeText(condition.code) ?? match.label}`,
      valueText: active ? 'active' : (condition.clinicalStatus?.coding?.[0]?.code ?? 'inactive'),
      date,
      ...(match.coding ? { coding: match.coding } : {}),
      ...(match.matchedBy === 'text' ? { matchedBy: 'text' as const } : {}),
      sources: [ref],
    };
    x.findings.push(finding);
    if (active) push(x.recordedConditions, match.id, finding);
  }
  const symptom = matchSymptom(codings);
  if (symptom && active) {
    x.findings.push({
      id: ids.take(`${baseId}-${symptom.id}`),
      code: `symptom:${symptom.id}`,
      kind: 'symptom',
      label: symptom.label,
      valueText: 'present',
      date,
      coding: codings[0],
      sources: [ref],
    });
  }
}

/** An Observation being read: where it is, when, and its codes. */
interface ObservationAt {
  obs: Observation;
  /** Its place in id order, for an Observation without an id. */
  index: number;
  date: string;
  /** `Date.parse(date)`. */
  time: number;
  codings: Coding[];
  /** It carries the pregnancy status LOINC code. */
  pregnancyStatus: boolean;
  /** Its first LOINC code that names an analyte, and that analyte. */
  loincCode?: string;
  analyte?: string;
  /** Made when a finding first cites it (`refOf`, `baseIdOf`): most Observations give none. */
  ref?: { reference: string; display?: string };
  baseId?: string;
}

function refOf(at: ObservationAt): { reference: string; display?: string } {
  return (at.ref ??= { reference: `Observation/${at.obs.id ?? at.index}`, display: codeText(at.obs.code) });
}

function baseIdOf(at: ObservationAt): string {
  return (at.baseId ??= `obs-${at.obs.id ?? `idx${at.index}`}`);
}

/** One quantity of an Observation (its value or a component's) that maps to an analyte. */
interface QuantityEntry {
  analyte: string;
  value: number;
  unit?: string;
  coding?: Coding;
  suffix: string;
}

/**
 * One Observation, read as the first of: smoking status, a pregnancy test, an AF ECG, a symptom,
 * or numeric analytes (its value and its components).
 */
function readObservation(x: Extraction, obs: Observation, index: number): void {
  if (obs.status === 'entered-in-error' || obs.status === 'cancelled' || obs.status === 'registered') return;
  const date = observationDate(obs);
  if (!date) return;
  const time = x.parseDate(date);
  if (time > x.nowMs) return;
  const codings = obs.code?.coding ?? [];
  // Its LOINC codes, read in one pass: smoking status, pregnancy status or hCG, the first analyte.
  let smoking = false;
  let pregnancyStatus = false;
  let hcg = false;
  let loincCode: string | undefined;
  let analyte: string | undefined;
  for (const c of codings) {
    const code = c.code;
    if (c.system !== LOINC_SYSTEM || !code) continue;
    if (code === '72166-2') smoking = true;
    if (code === PREGNANCY_STATUS_LOINC) pregnancyStatus = true;
    const a = LOINC_TO_ANALYTE[code];
    if (HCG_LOINC.has(code) || a === 'hcg') hcg = true;
    if (a && analyte === undefined) {
      analyte = a;
      loincCode = code;
    }
  }
  const at: ObservationAt = { obs, index, date, time, codings, pregnancyStatus, loincCode, analyte };
  if (smoking) return readSmokingStatus(x, at);
  if (pregnancyStatus || hcg) return readPregnancyTest(x, at);
  if (isAfObservation(obs)) {
    x.findings.push({
      id: x.ids.take(`${baseIdOf(at)}-ecg-af`),
      code: 'ecg-af',
      kind: 'observation',
      label: 'Atrial fibrillation on ECG',
      valueText: 'atrial fibrillation',
      date,
      coding: codings[0],
      sources: [refOf(at)],
    });
    return;
  }
  const symptom = matchSymptom(codings);
  if (symptom) {
    const absent = isAbsentAnswer(obs);
    x.findings.push({
      id: x.ids.take(`${baseIdOf(at)}-${symptom.id}`),
      code: `symptom:${symptom.id}${absent ? ':absent' : ''}`,
      kind: 'symptom',
      label: absent ? `No ${symptom.label.toLowerCase()}` : symptom.label,
      valueText: absent ? 'absent' : 'present',
      date,
      coding: codings[0],
      sources: [refOf(at)],
    });
    return;
  }
  for (const entry of quantityEntries(at)) readQuantity(x, at, entry);
}

/** Smoking status (LOINC 72166-2): the newest answer decides `currentSmoker`. */
function readSmokingStatus(x: Extraction, at: ObservationAt): void {
  const { obs, date } = at;
  const answer = obs.valueCodeableConcept?.coding?.find((c) => c.code)?.code;
  if (!answer || !(CURRENT_SMOKER_CODES.has(answer) || NON_SMOKER_CODES.has(answer))) return;
  const current = CURRENT_SMOKER_CODES.has(answer);
  if (!x.smoking || date > x.smoking.date) x.smoking = { date, current };
  x.findings.push({
    id: x.ids.take(baseIdOf(at)),
    code: 'smoking-status',
    kind: 'observation',
    label: `Smoking status: ${codeText(obs.valueCodeableConcept) ?? answer}`,
    valueText: current ? 'current' : 'not current',
    date,
    coding: at.codings[0],
    sources: [refOf(at)],
  });
}

/** Pregnancy status or an hCG test: a positive one within 280 days means pregnant. */
function readPregnancyTest(x: Extraction, at: ObservationAt): void {
  const positive = isPregnancyPositive(at.obs);
  // Written as the negation of the condition so an unparseable date (NaN) is not read as recent.
  if (!(positive && x.nowMs - at.time <= 280 * DAY_MS)) return;
  x.pregnant = true;
  x.findings.push({
    id: x.ids.take(baseIdOf(at)),
    code: 'pregnancy',
    kind: 'pregnancy',
    label: at.pregnancyStatus ? 'Pregnant (pregnancy status)' : 'Positive hCG test',
    valueText: 'positive',
    date: at.date,
    coding: at.codings[0],
    sources: [refOf(at)],
  });
}

/** The Observation's value and its components that map to an analyte. */
function quantityEntries(at: ObservationAt): QuantityEntry[] {
  const { obs, codings, analyte, loincCode } = at;
  const entries: QuantityEntry[] = [];
  if (analyte && obs.valueQuantity?.value !== undefined) {
    const unit = obs.valueQuantity.code ?? obs.valueQuantity.unit;
    entries.push({
      analyte,
      value: obs.valueQuantity.value,
      unit,
      coding: codings.find((c) => c.code === loincCode),
      suffix: '',
    });
  }
  for (const component of obs.component ?? []) {
    const compCodings = component.code?.coding ?? [];
    const compLoinc = compCodings.find(
      (c) => c.system === LOINC_SYSTEM && c.code && LOINC_TO_ANALYTE[c.code],
    );
    const compAnalyte = compLoinc?.code ? LOINC_TO_ANALYTE[compLoinc.code] : undefined;
    if (!compAnalyte || component.valueQuantity?.value === undefined) continue;
    entries.push({
      analyte: compAnalyte,
      value: component.valueQuantity.value,
      unit: component.valueQuantity.code ?? component.valueQuantity.unit,
      coding: compLoinc,
      suffix: `-${compAnalyte}`,
    });
  }
  return entries;
}

/** One analyte value in canonical units: a finding and a lab value; troponin also against its range. */
function readQuantity(x: Extraction, at: ObservationAt, entry: QuantityEntry): void {
  const value = toCanonical(entry.analyte, entry.value, entry.unit);
  if (value === undefined || !Number.isFinite(value)) return;
  const { date } = at;
  const ref = refOf(at);
  const baseId = baseIdOf(at);
  const unit = CANONICAL_UNITS[entry.analyte] ?? entry.unit ?? '';
  const findingId = x.ids.take(`${baseId}${entry.suffix}`);
  const referenceRange = entry.suffix === '' ? canonicalRange(entry.analyte, at.obs) : undefined;
  x.findings.push({
    id: findingId,
    code: entry.analyte,
    kind: VITAL_ANALYTES.has(entry.analyte) ? 'vital' : 'observation',
    label: quantityLabel(entry.analyte, value, unit),
    value,
    unit,
    date,
    coding: entry.coding,
    ...(referenceRange ? { referenceRange } : {}),
    sources: [ref],
  });
  push(x.labs, entry.analyte, {
    findingId,
    analyte: entry.analyte,
    value,
    unit,
    date,
    time: at.time,
    source: ref,
  });
  if (entry.analyte !== 'troponin') return;
  const elevated = isAboveReference(at.obs, entry.value);
  if (elevated === undefined) return;
  x.findings.push({
    id: x.ids.take(`${baseId}-${elevated ? 'high' : 'normal'}`),
    code: elevated ? 'troponin-elevated' : 'troponin-normal',
    kind: 'observation',
    label: elevated ? 'Troponin above the upper reference limit' : 'Troponin within the reference range',
    value,
    unit,
    date,
    coding: entry.coding,
    sources: [ref],
  });
}

/** Medications: active requests and statements, classified by the drug knowledge base. */
function readMedications(x: Extraction, record: PatientRecord): MedicationFact[] {
  const medications: MedicationFact[] = [];
  const medById = new Map(record.medications.map((m) => [`Medication/${m.id}`, m]));
  const medResources: Array<{ type: string; resource: MedicationRequest | MedicationStatement }> = [
    ...sortById(record.medicationRequests).map((r) => ({ type: 'MedicationRequest', resource: r })),
    ...sortById(record.medicationStatements).map((r) => ({ type: 'MedicationStatement', resource: r })),
  ];
  for (const [index, { type, resource }] of medResources.entries()) {
    const status = resource.status ?? 'unknown';
    const activeStatuses = type === 'MedicationRequest' ? ['active', 'on-hold'] : ['active', 'intended'];
    if (!activeStatuses.includes(status)) continue;
    const date =
      type === 'MedicationRequest'
        ? (resource as MedicationRequest).authoredOn
        : (resource as MedicationStatement).dateAsserted;
    if (date && x.parseDate(date) > x.nowMs) continue;
    const concept =
      resource.medicationCodeableConcept ??
      (resource.medicationReference?.reference
        ? medById.get(resource.medicationReference.reference)?.code
        : undefined);
    const codings = concept?.coding ?? [];
    const text =
      concept?.text ??
      codings.find((c) => c.display)?.display ??
      resource.medicationReference?.display ??
      'medication';
    const classification = classifyMedication(codings, text);
    const findingId = x.ids.take(`med-${resource.id ?? `idx${index}`}`);
    const ref = { reference: `${type}/${resource.id ?? index}`, display: text };
    const dailyDoseMg =
      type === 'MedicationRequest'
        ? dailyDoseMgFor(resource as MedicationRequest, classification?.ingredient, text)
        : dailyDose(resource);
    x.findings.push({
      id: findingId,
      code: classification ? `medication:${classification.ingredient}` : 'medication',
      kind: 'medication',
      label: text,
      valueText: status,
      date,
      coding: codings.find((c) => c.system === RXNORM_SYSTEM) ?? codings[0],
      sources: [ref],
    });
    medications.push({
      findingId,
      rxnorm: classification?.rxnorm ?? codings.find((c) => c.system === RXNORM_SYSTEM)?.code,
      ingredient: classification?.ingredient ?? text.toLowerCase(),
      classes: classification?.classes ?? [],
      display: text,
      status,
      date,
      dailyDoseMg,
      source: ref,
    });
  }
  return medications;
}

/** Allergies: active, not refuted. */
function readAllergies(x: Extraction, record: PatientRecord): AllergyFact[] {
  const allergies: AllergyFact[] = [];
  for (const [index, allergy] of sortById(record.allergies).entries()) {
    if (!isActiveAllergy(allergy)) continue;
    const codings = allergy.code?.coding ?? [];
    const substance = allergy.code?.text ?? codings.find((c) => c.display)?.display ?? 'unknown substance';
    const classification = classifyAllergy(codings, substance);
    const findingId = x.ids.take(`alg-${allergy.id ?? `idx${index}`}`);
    const ref = { reference: `AllergyIntolerance/${allergy.id ?? index}`, display: substance };
    x.findings.push({
      id: findingId,
      code: 'allergy',
      kind: 'allergy',
      label: `Allergy: ${substance}`,
      valueText: allergy.criticality,
      date: allergy.recordedDate ?? allergy.onsetDateTime,
      coding: codings[0],
      sources: [ref],
    });
    allergies.push({
      findingId,
      substance,
      classes: classification.classes,
      ingredients: classification.ingredients,
      criticality: allergy.criticality,
      source: ref,
    });
  }
  return allergies;
}

const RXNORM_SYSTEM = 'http://www.nlm.nih.gov/research/umls/rxnorm';

/** Whole years from a FHIR date to `now` (UTC calendar arithmetic). */
export function ageAt(birthDate: string, now: Date): number {
  const [y, m = 1, d = 1] = birthDate.split('-').map(Number) as [number, number?, number?];
  let age = now.getUTCFullYear() - y;
  const beforeBirthday = now.getUTCMonth() + 1 < m || (now.getUTCMonth() + 1 === m && now.getUTCDate() < d);
  if (beforeBirthday) age -= 1;
  // `| 0`: a small integer in V8's representation whichever compiler ran this (optimized, the date
  // arithmetic yields a boxed double, and the age fields it is stored in would change shape once).
  // Only where that is the same number: a birth date that is no date stays NaN.
  return (age | 0) === age ? age | 0 : age;
}

class IdAllocator {
  private readonly used = new Set<string>();
  take(base: string): string {
    let id = base;
    for (let n = 2; this.used.has(id); n++) id = `${base}-${n}`;
    this.used.add(id);
    return id;
  }
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

/** Stable order: by resource id, so input order never changes finding ids (Array#sort is stable). */
function sortById<T extends { id?: string }>(items: readonly T[]): T[] {
  const sorted = items.slice();
  for (let i = 1; i < sorted.length; i++) {
    if ((sorted[i - 1]!.id ?? '') > (sorted[i]!.id ?? '')) return sorted.sort(byId);
  }
  return sorted; // already in order (a store that returns resources by id)
}

function byId(a: { id?: string }, b: { id?: string }): number {
  const ia = a.id ?? '';
  const ib = b.id ?? '';
  return ia < ib ? -1 : ia > ib ? 1 : 0;
}

/** Newest first, ties by finding id (values are read in id order: a list already in order is kept). */
function sortNewestFirst(values: LabValue[]): LabValue[] {
  for (let i = 1; i < values.length; i++)
    if (newestFirst(values[i - 1]!, values[i]!) > 0) return values.sort(newestFirst);
  return values;
}

function newestFirst(a: LabValue, b: LabValue): number {
  return a.time !== b.time
    ? b.time - a.time
    : a.findingId < b.findingId
      ? -1
      : a.findingId > b.findingId
        ? 1
        : 0;
}

function codeText(concept: { text?: string; coding?: Coding[] } | undefined): string | undefined {
  return concept?.text ?? concept?.coding?.find((c) => c.display)?.display;
}

function isActiveCondition(condition: Condition): boolean {
  const status = condition.clinicalStatus?.coding?.[0]?.code;
  if (status) return status === 'active' || status === 'recurrence' || status === 'relapse';
  return !condition.abatementDateTime && !condition.abatementPeriod && !condition.abatementString;
}

function isActiveAllergy(allergy: AllergyIntolerance): boolean {
  if (isRefuted(allergy)) return false;
  const status = allergy.clinicalStatus?.coding?.[0]?.code;
  return !status || status === 'active';
}

function conditionDate(condition: Condition): string | undefined {
  return condition.onsetDateTime ?? condition.onsetPeriod?.start ?? condition.recordedDate;
}

function observationDate(obs: Observation): string | undefined {
  return obs.effectiveDateTime ?? obs.effectivePeriod?.start ?? obs.effectiveInstant ?? obs.issued;
}

function matchSymptom(codings: Coding[]) {
  for (const coding of codings) {
    // Symptoms are SNOMED CT or ICD-10-CM codes: a LOINC or local coding never is one.
    if (!coding.code || (coding.system !== SNOMED_SYSTEM && coding.system !== ICD_SYSTEM)) continue;
    for (const symptom of SYMPTOMS) {
      if (coding.system === SNOMED_SYSTEM && symptom.snomed.includes(coding.code)) return symptom;
      if (coding.system === ICD_SYSTEM && symptom.icd10.some((p) => coding.code?.startsWith(p)))
        return symptom;
    }
  }
  return undefined;
}

function isPregnancyCoding(codings: Coding[]): boolean {
  if (inGroup({ coding: codings }, 'pregnancy')) return true;
  return codings.some(
    (c) =>
      (c.system === SNOMED_SYSTEM && c.code !== undefined && PREGNANCY_CONDITION_SNOMED.has(c.code)) ||
      (c.system === ICD_SYSTEM && PREGNANCY_ICD10_PREFIXES.some((p) => c.code?.startsWith(p))),
  );
}

function isPregnancyPositive(obs: Observation): boolean {
  const answers = obs.valueCodeableConcept?.coding ?? [];
  if (answers.some((c) => c.code === PREGNANT_SNOMED || c.code === POSITIVE_SNOMED)) return true;
  if (obs.valueBoolean === true) return true;
  if ((obs.interpretation ?? []).some((i) => (i.coding ?? []).some((c) => c.code === 'POS'))) return true;
  const text = (obs.valueString ?? obs.valueCodeableConcept?.text ?? '').toLowerCase();
  return text === 'positive' || text === 'pregnant';
}

function isAbsentAnswer(obs: Observation): boolean {
  if (obs.valueBoolean === false) return true;
  const answers = obs.valueCodeableConcept?.coding ?? [];
  if (answers.some((c) => c.code !== undefined && ABSENT_SNOMED.has(c.code))) return true;
  const text = (obs.valueString ?? obs.valueCodeableConcept?.text ?? '').toLowerCase();
  return text === 'absent' || text === 'no' || text === 'negative';
}

function isAfObservation(obs: Observation): boolean {
  const inCode = (obs.code?.coding ?? []).some(
    (c) => c.system === SNOMED_SYSTEM && c.code !== undefined && AF_SNOMED.has(c.code),
  );
  const inValue = (obs.valueCodeableConcept?.coding ?? []).some(
    (c) => c.system === SNOMED_SYSTEM && c.code !== undefined && AF_SNOMED.has(c.code),
  );
  if (inCode) return !isAbsentAnswer(obs);
  return inValue;
}

/** "HbA1c 6.8 %": an analyte's name, its value rounded for reading and the unit as shown. */
function quantityLabel(analyte: string, value: number, unit: string): string {
  const shownUnit = displayUnit(unit);
  return `${ANALYTE_LABELS[analyte] ?? analyte} ${roundForLabel(value)}${shownUnit ? ` ${shownUnit}` : ''}`;
}

function roundForLabel(value: number): string {
  const abs = Math.abs(value);
  const digits = abs >= 100 ? 0 : abs >= 10 ? 1 : 2;
  return String(Number(value.toFixed(digits)));
}

const PERIODS_PER_DAY: Record<string, number> = { d: 1, h: 24, min: 1440, wk: 1 / 7, mo: 1 / 30 };

/** A request's daily dose: tablets, timing codes and combination products (scores/mme.ts). */
function dailyDoseMgFor(
  request: MedicationRequest,
  ingredient: string | undefined,
  text: string,
): number | undefined {
  return dailyDoseMg(request, { ...(ingredient ? { ingredient } : {}), medicationText: text });
}

/** Daily dose in mg of a MedicationStatement's first dosage, when it states mg and a frequency. */
function dailyDose(resource: MedicationRequest | MedicationStatement): number | undefined {
  const dosage =
    'dosageInstruction' in resource
      ? resource.dosageInstruction?.[0]
      : (resource as MedicationStatement).dosage?.[0];
  const dose = dosage?.doseAndRate?.[0]?.doseQuantity;
  if (!dose?.value || (dose.code ?? dose.unit)?.toLowerCase() !== 'mg') return undefined;
  const repeat = dosage?.timing?.repeat;
  const frequency = repeat?.frequencyMax ?? repeat?.frequency ?? 1;
  const period = repeat?.period ?? 1;
  const perDay = PERIODS_PER_DAY[repeat?.periodUnit ?? 'd'];
  if (perDay === undefined) return undefined;
  return (dose.value * frequency * perDay) / period;
}

/** The result's first reference range in the analyte's canonical unit; undefined when it has none usable. */
function canonicalRange(analyte: string, obs: Observation): { low?: number; high?: number } | undefined {
  const range = obs.referenceRange?.[0];
  if (!range) return undefined;
  const low = rangeLimit(analyte, range.low);
  const high = rangeLimit(analyte, range.high);
  const out: { low?: number; high?: number } = {};
  if (low !== undefined && Number.isFinite(low)) out.low = low;
  if (high !== undefined && Number.isFinite(high)) out.high = high;
  return out.low === undefined && out.high === undefined ? undefined : out;
}

function rangeLimit(
  analyte: string,
  q: { value?: number; code?: string; unit?: string } | undefined,
): number | undefined {
  return q?.value === undefined ? undefined : toCanonical(analyte, q.value, q.code ?? q.unit);
}

/** Whether a result is above its upper reference limit, by interpretation flag or referenceRange. */
function isAboveReference(obs: Observation, value: number): boolean | undefined {
  const flags = (obs.interpretation ?? []).flatMap((i) => i.coding ?? []).map((c) => c.code);
  if (flags.some((f) => f === 'H' || f === 'HH' || f === 'A' || f === 'AA')) return true;
  if (flags.some((f) => f === 'N')) return false;
  const high = obs.referenceRange?.find((r) => r.high?.value !== undefined)?.high?.value;
  return high === undefined ? undefined : value > high;
}

const US_CORE_RACE = 'http://hl7.org/fhir/us/core/StructureDefinition/us-core-race';

function usCoreRace(patient: PatientRecord['patient']): string[] | undefined {
  const ext = patient.extension?.find((e) => e.url === US_CORE_RACE);
  const codes = (ext?.extension ?? [])
    .filter((e) => e.url === 'ombCategory' && e.valueCoding?.code)
    .map((e) => e.valueCoding?.code as string);
  return codes.length ? codes.sort() : undefined;
}
