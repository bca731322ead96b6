/**
 * Total daily opioid dose in morphine milligram equivalents (MME/day), with the CDC 2022 conversion
 * factors (Dowell et al., MMWR Recomm Rep 2022;71(3), https://www.cdc.gov/mmwr/volumes/71/rr/rr7103a1.htm).
 * Pure: reads MedicationFact.dailyDoseMg (or the strength in a transdermal fentanyl text).
 */
import type { Timing } from '@medplum/fhirtypes';
import type { MedicationRequest, Score } from '@rationale/shared-types';
import type { MedicationFact, PatientFacts } from '../facts';
import { classifyMedication, drugByIngredient } from '../knowledge/drugs';
import { threshold } from '../knowledge/treatment/rules';

const UNITS_PER_DAY: Record<string, number> = {
  s: 86400,
  min: 1440,
  h: 24,
  d: 1,
  wk: 1 / 7,
  mo: 1 / 30,
  a: 1 / 365,
};

// HL7 v3 GTSAbbreviation timing codes (Timing.code) → administrations per day.
const TIMING_CODES: Record<string, number> = {
  QD: 1,
  AM: 1,
  PM: 1,
  BED: 1,
  BID: 2,
  TID: 3,
  QID: 4,
  QOD: 0.5,
  Q1H: 24,
  Q2H: 12,
  Q3H: 8,
  Q4H: 6,
  Q6H: 4,
  Q8H: 3,
  WK: 1 / 7,
  MO: 1 / 30,
};

/** Administrations per day from a FHIR Timing (repeat, or a standard timing code); undefined when not stated. */
export function administrationsPerDay(timing: Timing | undefined): number | undefined {
  const repeat = timing?.repeat;
  const frequency = repeat?.frequencyMax ?? repeat?.frequency;
  if (repeat && repeat.period && repeat.periodUnit) {
    const perUnit = UNITS_PER_DAY[repeat.periodUnit];
    if (perUnit !== undefined) return ((frequency ?? 1) / repeat.period) * perUnit;
  }
  if (repeat?.timeOfDay?.length) return repeat.timeOfDay.length;
  for (const coding of timing?.code?.coding ?? []) {
    const perDay = coding.code ? TIMING_CODES[coding.code.toUpperCase()] : undefined;
    if (perDay !== undefined) return perDay;
  }
  return undefined;
}

const MG_PER: Record<string, number> = { mg: 1, g: 1000, ug: 0.001, mcg: 0.001 };
const UNIT_FORMS = /^(\{?(tbl|tab|tablet|cap|capsule|patch|puff|spray|unit)s?\}?|1)$/i;

/**
 * Daily dose in mg of a MedicationRequest from its dosageInstruction (doseAndRate × timing,
 * summed over instructions). A dose in tablets or capsules is multiplied by the unit strength
 * (from `options.unitStrengthMg`, or the strength written in the medication text after
 * `options.ingredient`, or the first ingredient's). Undefined when the request does not say
 * enough. Used by the findings to fill MedicationFact.dailyDoseMg.
 */
export function dailyDoseMg(
  medicationRequest: MedicationRequest,
  options: { unitStrengthMg?: number; ingredient?: string; medicationText?: string } = {},
): number | undefined {
  let total = 0;
  let known = false;
  for (const instruction of medicationRequest.dosageInstruction ?? []) {
    const perDay = administrationsPerDay(instruction.timing);
    const rate = instruction.doseAndRate?.[0];
    const quantity = rate?.doseQuantity ?? rate?.doseRange?.high;
    if (perDay === undefined || quantity?.value === undefined) continue;
    const unit = (quantity.code ?? quantity.unit ?? '').toLowerCase();
    let mg: number | undefined;
    if (MG_PER[unit] !== undefined) mg = quantity.value * MG_PER[unit];
    else if (UNIT_FORMS.test(unit) || unit === '') {
      const strength = options.unitStrengthMg ?? unitStrength(medicationRequest, options);
      if (strength !== undefined) mg = quantity.value * strength;
    }
    if (mg === undefined) continue;
    total += mg * perDay;
    known = true;
  }
  return known ? round(total, 3) : undefined;
}

function unitStrength(
  mr: MedicationRequest,
  options: { ingredient?: string; medicationText?: string },
): number | undefined {
  const concept = mr.medicationCodeableConcept;
  const text =
    options.medicationText ??
    [concept?.text, ...(concept?.coding ?? []).map((c) => c.display)].filter(Boolean).join(' | ');
  if (options.ingredient) {
    const m = new RegExp(
      `${options.ingredient.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}[a-z ]*?\\s(\\d+(?:\\.\\d+)?)\\s*mg(?![a-z/])`,
      'i',
    ).exec(text);
    if (m?.[1]) return Number(m[1]);
  }
  return classifyMedication(concept?.coding ?? [], text)?.strengthMg;
}

const round = (x: number, digits: number): number => Number(x.toFixed(digits));

interface OpioidDose {
  fact: MedicationFact;
  ingredient: string;
  mme?: number;
  note: string;
}

function opioidDose(fact: MedicationFact): OpioidDose | undefined {
  const components = fact.ingredient.split(' / ');
  const ingredient = components.find((c) => drugByIngredient(c)?.classes.includes('opioid'));
  if (!ingredient) return undefined;
  const entry = drugByIngredient(ingredient);
  if (ingredient === 'buprenorphine') {
    return { fact, ingredient, note: 'buprenorphine: not counted in MME (CDC 2022)' };
  }
  const factor = entry?.mmeFactor;
  if (factor === undefined) return { fact, ingredient, note: `${ingredient}: no conversion factor` };
  if (ingredient === 'fentanyl') {
    const m = /(\d+(?:\.\d+)?)\s*(?:mcg|ug|µg)\s*\/\s*h(?:r|our)?/i.exec(fact.display);
    if (!m?.[1])
      return { fact, ingredient, note: 'fentanyl: only transdermal mcg/h strengths are converted' };
    const rate = Number(m[1]);
    return { fact, ingredient, mme: round(rate * factor, 1), note: `fentanyl ${rate} mcg/h × ${factor}` };
  }
  let mg = fact.dailyDoseMg;
  if (mg !== undefined && components.length > 1 && components[0] !== ingredient) {
    // Combination products: the findings' daily dose is in units of the first ingredient's strength;
    // rescale to the opioid's strength as written in the drug text.
    const first = strengthIn(fact.display, components[0] ?? '');
    const opioid = strengthIn(fact.display, ingredient);
    mg = first && opioid ? (mg / first) * opioid : undefined;
  }
  if (mg === undefined) return { fact, ingredient, note: `${ingredient}: daily dose unknown` };
  return {
    fact,
    ingredient,
    mme: round(mg * factor, 1),
    note: `${ingredient} ${round(mg, 2)} mg/day × ${factor}`,
  };
}

function strengthIn(text: string, ingredient: string): number | undefined {
  const m = new RegExp(`${ingredient}[a-z ]*?\\s(\\d+(?:\\.\\d+)?)\\s*mg`, 'i').exec(text);
  return m?.[1] ? Number(m[1]) : undefined;
}

/**
 * The `mme-daily` score: the sum over active opioids of daily dose × CDC 2022 factor; undefined
 * when the patient has no active opioid. Opioids whose dose is unknown are listed in the inputs
 * and make the interpretation say the total is incomplete.
 */
export function mmeScore(facts: PatientFacts): Score | undefined {
  const doses = facts.medications
    .filter((m) => m.classes.includes('opioid'))
    .map(opioidDose)
    .filter((d): d is OpioidDose => d !== undefined)
    .sort((a, b) => a.fact.findingId.localeCompare(b.fact.findingId));
  if (doses.length === 0) return undefined;
  const total = round(
    doses.reduce((sum, d) => sum + (d.mme ?? 0), 0),
    1,
  );
  const unknown = doses.filter((d) => d.mme === undefined && d.ingredient !== 'buprenorphine').length;
  const high = threshold('opioid-high-dose', 'mmeHigh');
  const reassess = threshold('opioid-high-dose', 'mme');
  const band =
    total >= high
      ? `${high} MME/day or more: avoid or carefully justify; consider tapering`
      : total >= reassess
        ? `${reassess}-${high - 1} MME/day: reassess benefits and risks; offer naloxone`
        : `Below ${reassess} MME/day`;
  return {
    id: 'mme-daily',
    label: 'Opioid dose (MME/day)',
    value: total,
    unit: 'MME/d',
    interpretation:
      unknown > 0
        ? `${band} (incomplete: ${unknown} opioid${unknown > 1 ? 's' : ''} without a stated dose)`
        : band,
    inputs: doses.map((d) => ({
      label: d.fact.display,
      value: d.mme === undefined ? d.note : `${d.mme} MME/day (${d.note})`,
      findingId: d.fact.findingId,
    })),
    informational: false,
    citationIds: ['cdc-2022-opioids'],
  };
}
