/**
 * Can't-miss acute problems (issue 19): acute decompensated heart failure, sepsis or pneumonia with
 * abnormal vitals, acute coronary syndrome, AKI with a nephrotoxin on board and severe
 * hyperkalemia. Each is listed apart from the probability ranking (DXplain's "important to
 * consider") when the data of the current encounter (knowledge/acute-window.ts) support it, by the
 * cited criteria below; the card budget starts with them. Pure: `now` comes from the facts.
 */
import type { CantMiss, Hypothesis, Score } from '@rationale/shared-types';
import type { LabValue, PatientFacts } from './facts';
import { ACUTE_WINDOW_HOURS } from './knowledge/acute-window';
import { conditionUrgency } from './knowledge/urgency';

const HOUR_MS = 3_600_000;
const LOINC = 'http://loinc.org';

/** Tests named as next steps; LOINC codes as the knowledge base's observables use them. */
const TEST = {
  ecg: { label: '12-lead ECG', code: { system: LOINC, code: '11524-6', display: 'EKG study' } },
  troponin: {
    label: 'High-sensitivity troponin',
    code: {
      system: LOINC,
      code: '89579-7',
      display: 'Troponin I.cardiac [Mass/volume] in Serum or Plasma by High sensitivity method',
    },
  },
  echo: {
    label: 'Echocardiogram (LVEF)',
    code: { system: LOINC, code: '10230-1', display: 'Left ventricular Ejection fraction' },
  },
  chestXray: { label: 'Chest radiograph' },
  lactate: { label: 'Lactate and blood cultures' },
  potassium: {
    label: 'Repeat potassium',
    code: { system: LOINC, code: '2823-3', display: 'Potassium [Moles/volume] in Serum or Plasma' },
  },
  creatinine: {
    label: 'Repeat creatinine and urine output',
    code: { system: LOINC, code: '2160-0', display: 'Creatinine [Mass/volume] in Serum or Plasma' },
  },
} as const;

/** Drug classes that injure the kidney or lower its perfusion: hold them in AKI (KDIGO 2012 AKI). */
const NEPHROTOXIC_CLASSES = ['nsaid', 'aminoglycoside', 'acei', 'arb', 'loop-diuretic', 'thiazide', 'mra'];

/** Thresholds, each with its source. */
const NT_PROBNP_ACUTE = 300; // pg/mL: acute HF unlikely below (ESC 2021, mcdonagh-2021-esc-hf)
const BNP_ACUTE = 100; // pg/mL: acute HF unlikely below (ESC 2021; Wang 2005)
const POTASSIUM_SEVERE = 6.0; // mmol/L: severe hyperkalemia (KDIGO 2020 controversies conference)
const QSOFA_POSITIVE = 2; // Sepsis-3 (Singer 2016; Seymour 2016)
const FEVER_C = 38.0; // SIRS temperature criterion (> 38 °C), Bone 1992

interface Window {
  facts: PatientFacts;
  scores: readonly Score[];
  hypotheses: readonly Hypothesis[];
}

function inWindow(facts: PatientFacts, date: string | undefined): boolean {
  if (!date) return false;
  const t = Date.parse(date);
  if (Number.isNaN(t)) return false;
  const age = facts.now.getTime() - t;
  // Date-only values (midnight UTC) may sit up to a day after a `now` earlier that day.
  return age >= -24 * HOUR_MS && age <= ACUTE_WINDOW_HOURS * HOUR_MS;
}

/** The newest value of an analyte inside the current-encounter window. */
function acuteLab(facts: PatientFacts, analyte: string): LabValue | undefined {
  const v = facts.labs.get(analyte)?.[0];
  return v && inWindow(facts, v.date) ? v : undefined;
}

/** Symptom findings present inside the window, by symptom id. */
function acuteSymptoms(facts: PatientFacts, ...ids: string[]) {
  return facts.findings.filter(
    (f) => f.kind === 'symptom' && ids.some((id) => f.code === `symptom:${id}`) && inWindow(facts, f.date),
  );
}

const n = (v: number, digits = 0) => (digits === 0 ? String(Math.round(v)) : v.toFixed(digits));

function item(
  w: Window,
  conditionId: string,
  parts: Omit<CantMiss, 'id' | 'conditionId' | 'urgency' | 'hypothesisId' | 'posterior'> & {
    hypothesisOf?: string;
  },
): CantMiss {
  const urgency = conditionUrgency(conditionId);
  if (!urgency) throw new Error(`no urgency class for ${conditionId}`);
  const h = w.hypotheses.find((x) => x.conditionId === (parts.hypothesisOf ?? conditionId));
  const { hypothesisOf: _ignored, ...rest } = parts;
  return {
    id: `cant-miss-${conditionId}`,
    conditionId,
    ...rest,
    urgency,
    citationIds: [...new Set([...urgency.citationIds, ...parts.citationIds])],
    ...(h ? { hypothesisId: h.id, posterior: h.posterior } : {}),
  };
}

/**
 * Sepsis or pneumonia: suspected infection with qSOFA ≥ 2 in the window (Sepsis-3). SIRS is shown
 * beside it but does not raise the card alone: a febrile sinusitis with a heart rate of 92 meets
 * two SIRS criteria and is not a can't-miss problem.
 */
function sepsisOrPneumonia(w: Window): CantMiss | undefined {
  const { facts, scores } = w;
  const temp = acuteLab(facts, 'temperature');
  const febrile = temp !== undefined && temp.value > FEVER_C;
  const infection = acuteSymptoms(facts, 'fever', 'cough', 'dysuria');
  if (!febrile && infection.length === 0) return undefined;
  const qsofa = scores.find((s) => s.id === 'qsofa');
  const sirs = scores.find((s) => s.id === 'sirs');
  const qPos = qsofa !== undefined && qsofa.value >= QSOFA_POSITIVE;
  if (!qPos) return undefined;
  const respiratory = acuteSymptoms(facts, 'cough', 'dyspnea');
  const spo2 = acuteLab(facts, 'spo2');
  const rr = acuteLab(facts, 'resp-rate');
  const sbp = acuteLab(facts, 'sbp');
  const hr = acuteLab(facts, 'heart-rate');
  const wbc = acuteLab(facts, 'wbc');
  const vitals = [
    temp ? `T ${n(temp.value, 1)}` : '',
    rr ? `RR ${n(rr.value)}` : '',
    hr ? `HR ${n(hr.value)}` : '',
    sbp ? `SBP ${n(sbp.value)}` : '',
    spo2 ? `SpO2 ${n(spo2.value)}%` : '',
    wbc ? `WBC ${n(wbc.value, 1)}` : '',
  ].filter(Boolean);
  const scoreText = [qsofa ? `qSOFA ${qsofa.value}` : '', sirs ? `SIRS ${sirs.value}` : ''].filter(Boolean);
  const pneumonia = respiratory.length > 0;
  const findingIds = [
    ...infection.map((f) => f.id),
    ...respiratory.map((f) => f.id),
    ...[temp, rr, sbp, hr, spo2, wbc].filter((v): v is LabValue => v !== undefined).map((v) => v.findingId),
  ];
  const label = pneumonia ? 'Pneumonia with sepsis risk' : 'Sepsis risk';
  return item(w, 'sepsis', {
    label,
    support: `${scoreText.join(', ')}: ${vitals.join(', ')}`,
    action: pneumonia
      ? 'Chest radiograph now; lactate and blood cultures, assess for organ dysfunction'
      : 'Assess for organ dysfunction: lactate and blood cultures',
    nextTests: pneumonia ? [TEST.chestXray, TEST.lactate] : [TEST.lactate],
    findingIds: [...new Set(findingIds)],
    scoreIds: [qsofa, sirs].filter((s): s is Score => s !== undefined).map((s) => s.id),
    citationIds: [
      'seymour-2016-qsofa',
      'bone-1992-sirs',
      ...(pneumonia ? ['metlay-2019-ats-idsa-cap', 'singer-2016-sepsis-3'] : []),
    ],
    hypothesisOf: 'pneumonia',
  });
}

/** ADHF: congestion (dyspnea, orthopnea, PND, edema) with a raised natriuretic peptide in the window. */
function adhf(w: Window): CantMiss | undefined {
  const { facts } = w;
  if ((facts.recordedConditions.get('adhf')?.length ?? 0) > 0) return undefined;
  const congestion = acuteSymptoms(facts, 'dyspnea', 'orthopnea', 'pnd', 'edema');
  if (congestion.length === 0) return undefined;
  const nt = acuteLab(facts, 'nt-probnp');
  const bnp = acuteLab(facts, 'bnp');
  const peptide =
    nt && nt.value >= NT_PROBNP_ACUTE
      ? `NT-proBNP ${n(nt.value)}`
      : bnp && bnp.value >= BNP_ACUTE
        ? `BNP ${n(bnp.value)}`
        : undefined;
  if (!peptide) return undefined;
  const lvefKnown = (facts.labs.get('lvef')?.length ?? 0) > 0;
  const symptoms = [...new Set(congestion.map((f) => f.label.toLowerCase()))];
  return item(w, 'adhf', {
    label: 'Acute decompensated heart failure',
    support: `${peptide} pg/mL with ${symptoms.join(', ')}`,
    action: lvefKnown
      ? 'Assess volume status and treat congestion; chest radiograph'
      : 'Echocardiogram (LVEF); assess volume status and treat congestion',
    nextTests: lvefKnown ? [TEST.chestXray, TEST.ecg] : [TEST.echo, TEST.chestXray, TEST.ecg],
    findingIds: [
      ...congestion.map((f) => f.id),
      ...[nt, bnp].filter((v): v is LabValue => v !== undefined).map((v) => v.findingId),
    ],
    scoreIds: [],
    citationIds: ['wang-2005-dyspnea-chf'],
  });
}

/** ACS: chest pain in the window, or an elevated troponin in the window. */
function acs(w: Window): CantMiss | undefined {
  const { facts } = w;
  const pain = acuteSymptoms(facts, 'chest-pain');
  const trop = facts.findings.find((f) => f.code === 'troponin-elevated' && inWindow(facts, f.date));
  if (pain.length === 0 && !trop) return undefined;
  const risks = [
    facts.currentSmoker ? 'smoker' : '',
    facts.recordedConditions.has('htn') ? 'hypertension' : '',
    facts.recordedConditions.has('hyperlipidemia') ? 'hyperlipidemia' : '',
    facts.recordedConditions.has('t2d') ? 'diabetes' : '',
    facts.ageYears !== undefined ? `age ${Math.floor(facts.ageYears)}` : '',
  ].filter(Boolean);
  const support = trop
    ? `${trop.label}${pain.length > 0 ? ' with chest pain' : ''}`
    : `chest pain${risks.length > 0 ? `; risk factors: ${risks.join(', ')}` : ''}`;
  return item(w, 'acs', {
    label: 'Acute coronary syndrome',
    support,
    action: 'ECG within 10 minutes and high-sensitivity troponin',
    nextTests: [TEST.ecg, TEST.troponin],
    findingIds: [...pain.map((f) => f.id), ...(trop ? [trop.id] : [])],
    scoreIds: [],
    citationIds: [],
  });
}

/** AKI (KDIGO criteria met, latest creatinine in the window) with a nephrotoxic drug active. */
function akiWithNephrotoxin(w: Window): CantMiss | undefined {
  const { facts, hypotheses } = w;
  const h = hypotheses.find((x) => x.conditionId === 'aki');
  if (!h || h.criteria?.met !== true || h.status === 'recorded') return undefined;
  const latest = facts.labs.get('creatinine')?.[0];
  if (!latest || !inWindow(facts, latest.date)) return undefined;
  const drugs = facts.medications.filter((m) => m.classes.some((c) => NEPHROTOXIC_CLASSES.includes(c)));
  if (drugs.length === 0) return undefined;
  const names = [...new Set(drugs.map((m) => m.ingredient))];
  return item(w, 'aki', {
    label: `Acute kidney injury${h.stage ? ` (${h.stage})` : ''} on ${names.join(' and ')}`,
    support:
      facts.findings.find((f) => f.code === 'aki-creatinine-rise' && f.kind === 'trend')?.label ??
      `creatinine ${n(latest.value, 2)} mg/dL`,
    action: `Hold ${names.join(' and ')} where possible; find the cause`,
    nextTests: [TEST.creatinine],
    findingIds: [...h.criteria.findingIds, ...drugs.map((m) => m.findingId)],
    scoreIds: [],
    citationIds: ['kdigo-2012-aki'],
  });
}

/** Severe hyperkalemia: potassium ≥ 6.0 mmol/L in the window. */
function severeHyperkalemia(w: Window): CantMiss | undefined {
  const k = acuteLab(w.facts, 'potassium');
  if (!k || k.value < POTASSIUM_SEVERE) return undefined;
  return item(w, 'hyperkalemia', {
    label: 'Severe hyperkalemia',
    support: `potassium ${n(k.value, 1)} mmol/L (${k.date.slice(0, 10)})`,
    action: 'ECG now; treat and repeat potassium',
    nextTests: [TEST.ecg, TEST.potassium],
    findingIds: [k.findingId],
    scoreIds: [],
    citationIds: ['kdigo-2020-potassium'],
  });
}

/**
 * The can't-miss problems the record supports now, most time-critical first (sepsis, ACS, ADHF,
 * severe hyperkalemia, AKI). Empty for a record without current-encounter data.
 */
export function findCantMiss(
  facts: PatientFacts,
  scores: readonly Score[],
  hypotheses: readonly Hypothesis[],
): CantMiss[] {
  const w: Window = { facts, scores, hypotheses };
  return [sepsisOrPneumonia(w), acs(w), adhf(w), severeHyperkalemia(w), akiWithNephrotoxin(w)].filter(
    (x): x is CantMiss => x !== undefined,
  );
}
