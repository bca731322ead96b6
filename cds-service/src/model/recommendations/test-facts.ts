/**
 * Test support: builds PatientFacts directly (labs, medications, conditions, allergies) so the
 * treatment rules can be tested without the findings extractor. Not used by production code.
 */
import type { Finding, Hypothesis, Score } from '@rationale/shared-types';
import type { AllergyFact, DeclinedTherapyFact, LabValue, MedicationFact, PatientFacts } from '../facts';
import { classifyAllergy, classifyMedication } from '../knowledge/drugs';

export const NOW = new Date('2026-03-15T12:00:00Z');

export interface LabSpec {
  value: number;
  /** Days before NOW (default 10). */
  daysAgo?: number;
}

export interface MedSpec {
  /** Drug text, classified by the drug table: "atorvastatin 10 MG Oral Tablet". */
  text: string;
  dailyDoseMg?: number;
}

export interface FactsSpec {
  age?: number;
  sex?: 'female' | 'male';
  pregnant?: boolean;
  smoker?: boolean;
  conditions?: string[];
  labs?: Record<string, LabSpec | LabSpec[] | number>;
  meds?: Array<string | MedSpec>;
  allergies?: Array<{ text: string; criticality?: 'low' | 'high' }>;
  declined?: Array<{ text: string; daysAgo: number }>;
}

const UNITS: Record<string, string> = {
  egfr: 'mL/min/{1.73_m2}',
  creatinine: 'mg/dL',
  uacr: 'mg/g',
  potassium: 'mmol/L',
  a1c: '%',
  ldl: 'mg/dL',
  sbp: 'mm[Hg]',
  dbp: 'mm[Hg]',
  weight: 'kg',
  lvef: '%',
};

const isoDaysAgo = (days: number): string =>
  new Date(NOW.getTime() - days * 86_400_000).toISOString().slice(0, 10);

export function buildFacts(spec: FactsSpec = {}): PatientFacts {
  const findings: Finding[] = [];
  const recordedConditions = new Map<string, Finding[]>();
  for (const id of spec.conditions ?? []) {
    const f: Finding = {
      id: `cond-${id}`,
      code: `condition:${id}`,
      kind: 'condition',
      label: id,
      sources: [{ reference: `Condition/${id}` }],
    };
    findings.push(f);
    recordedConditions.set(id, [f]);
  }
  const labs = new Map<string, LabValue[]>();
  for (const [analyte, raw] of Object.entries(spec.labs ?? {})) {
    const list = (Array.isArray(raw) ? raw : [typeof raw === 'number' ? { value: raw } : raw]).map((l, i) => {
      const date = isoDaysAgo(l.daysAgo ?? 10 + i);
      const value: LabValue = {
        findingId: `lab-${analyte}-${i}`,
        analyte,
        value: l.value,
        unit: UNITS[analyte] ?? '1',
        date,
        time: Date.parse(date),
        source: { reference: `Observation/${analyte}-${i}` },
      };
      findings.push({
        id: value.findingId,
        code: analyte,
        kind: 'observation',
        label: `${analyte} ${l.value}`,
        value: l.value,
        date,
        sources: [value.source],
      });
      return value;
    });
    labs.set(
      analyte,
      list.sort((a, b) => b.date.localeCompare(a.date)),
    );
  }
  const medications: MedicationFact[] = (spec.meds ?? []).map((m, i) => {
    const med = typeof m === 'string' ? { text: m } : m;
    const c = classifyMedication([], med.text);
    if (!c) throw new Error(`test drug not in the table: ${med.text}`);
    const findingId = `med-${i}`;
    findings.push({
      id: findingId,
      code: `medication:${c.ingredient}`,
      kind: 'medication',
      label: med.text,
      sources: [{ reference: `MedicationRequest/m${i}` }],
    });
    return {
      findingId,
      ...(c.rxnorm ? { rxnorm: c.rxnorm } : {}),
      ingredient: c.ingredient,
      classes: c.classes,
      display: med.text,
      status: 'active',
      ...(med.dailyDoseMg !== undefined ? { dailyDoseMg: med.dailyDoseMg } : {}),
      source: { reference: `MedicationRequest/m${i}` },
    };
  });
  const allergies: AllergyFact[] = (spec.allergies ?? []).map((a, i) => {
    const c = classifyAllergy([], a.text);
    const findingId = `allergy-${i}`;
    findings.push({
      id: findingId,
      code: 'allergy',
      kind: 'allergy',
      label: a.text,
      sources: [{ reference: `AllergyIntolerance/a${i}` }],
    });
    return {
      findingId,
      substance: a.text,
      classes: c.classes,
      ingredients: c.ingredients,
      ...(a.criticality ? { criticality: a.criticality } : {}),
      source: { reference: `AllergyIntolerance/a${i}` },
    };
  });
  if (spec.pregnant)
    findings.push({
      id: 'pregnancy',
      code: 'pregnant',
      kind: 'pregnancy',
      label: 'Pregnant',
      sources: [{ reference: 'Observation/preg' }],
    });
  const declinedTherapies: DeclinedTherapyFact[] = (spec.declined ?? []).map((d, i) => {
    const c = classifyMedication([], d.text);
    if (!c) throw new Error(`test drug not in the table: ${d.text}`);
    return {
      classes: c.classes,
      ingredient: c.ingredient,
      reason: 'Patient declined',
      date: isoDaysAgo(d.daysAgo),
      source: { reference: `MedicationRequest/declined-${i}` },
    };
  });
  return {
    now: NOW,
    patientRef: 'Patient/p1',
    ...(spec.age !== undefined ? { ageYears: spec.age } : {}),
    ...(spec.sex ? { sex: spec.sex } : {}),
    pregnant: spec.pregnant ?? false,
    findings,
    recordedConditions,
    labs,
    medications,
    allergies,
    ...(spec.smoker !== undefined ? { currentSmoker: spec.smoker } : {}),
    declinedTherapies,
  };
}

export function score(id: string, value: number, unit?: string): Score {
  return {
    id,
    label: id,
    value,
    ...(unit ? { unit } : {}),
    interpretation: 'test',
    inputs: [{ label: 'input', value: String(value), findingId: `score-${id}` }],
    informational: false,
    citationIds: [],
  };
}

export function suggested(conditionId: string, criteriaMet = true): Hypothesis {
  return {
    id: `hyp-${conditionId}`,
    conditionId,
    label: conditionId,
    status: 'suggested',
    prior: 0.1,
    posterior: 0.8,
    codes: [],
    contributions: [],
    criteria: { met: criteriaMet, description: 'test', findingIds: [`crit-${conditionId}`], citationIds: [] },
    rationale: 'test',
    citationIds: [],
    origin: 'knowledge-model',
  };
}
