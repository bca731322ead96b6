/**
 * Look-backs of the dated inputs of the scores rules act on (issue 13, fresh data wins): how old a
 * lab or vital may be before the score treats it as missing. A score whose publication needs
 * every input (the Pooled Cohort Equations; the PREVENT base model, whose optional UACR, HbA1c and
 * SDI terms belong to its extended models; Cockcroft-Gault; CKD-EPI) is then not computed, and a
 * rule that reads it says which input is not current (recommendations/context.ts `readScore`).
 *
 * None of these publications states how old an input may be: every window here is the model's
 * recency setting (`labRecencyMonths`, 24 months by default, configurable per site), said so in
 * `basis`. The acute scores (qSOFA, SIRS, NEWS2) read the acute window instead
 * (knowledge/acute-window.ts); FIB-4 reads labs drawn together (findings/derived.ts).
 */
import { z } from 'zod';
import { lookBackSchema, type LookBack } from './treatment/look-backs';

const SETTING =
  "the score's publication names no look-back; the model's recency setting (labRecencyMonths, 24 months by default; configurable per site)";

const input = (analyte: string, label: string): LookBack => ({
  analyte,
  label,
  basis: SETTING,
  citationIds: [],
});

const TC = input('total-cholesterol', 'total cholesterol');
const HDL = input('hdl', 'HDL-C');
const SBP = input('sbp', 'systolic BP');
// PREVENT reads eGFR: a reported one, or CKD-EPI 2021 from a creatinine.
const EGFR = [input('egfr', 'eGFR'), input('creatinine', 'creatinine')];

const RAW: Record<string, LookBack[]> = {
  'pce-ascvd-10y': [TC, HDL, SBP],
  'prevent-cvd-10y': [TC, HDL, SBP, ...EGFR],
  'prevent-ascvd-10y': [TC, HDL, SBP, ...EGFR],
  'egfr-ckd-epi-2021': [input('creatinine', 'creatinine')],
  'crcl-cockcroft-gault': [input('creatinine', 'creatinine'), input('weight', 'weight')],
};

/** The scores' short names, as a set-aside input names them: "HDL-C (for PCE)". */
export const SCORE_SHORT_NAMES: Readonly<Record<string, string>> = Object.freeze({
  'pce-ascvd-10y': 'PCE',
  'prevent-cvd-10y': 'PREVENT',
  'prevent-ascvd-10y': 'PREVENT',
  'egfr-ckd-epi-2021': 'eGFR',
  'crcl-cockcroft-gault': 'CrCl',
});

/** Every declared score's dated inputs and their look-backs, validated at load. */
export const SCORE_LOOK_BACKS: Readonly<Record<string, readonly LookBack[]>> = Object.freeze(
  Object.fromEntries(Object.entries(RAW).map(([id, l]) => [id, z.array(lookBackSchema).parse(l)])),
);
