/**
 * AHA PREVENT base-model equations, 10-year total CVD and ASCVD risk (Khan et al., Circulation
 * 2024;149:430-449, supplemental Table S12 base model). Race-free; sex-specific logistic models
 * with centered predictors. Coefficients checked against the public Stata implementation by
 * A. Linden (SSC `prevent10i.ado`, 2024) and the worked example in the R package preventr's tests
 * (woman 50 y, SBP 160 treated, TC 200, HDL 45, diabetes, non-smoker, eGFR 90: total CVD 14.7%,
 * ASCVD 9.2%; same man: 16.3%, 10.2%). Valid for ages 30-79.
 */
export interface PreventInput {
  sex: 'female' | 'male';
  age: number;
  /** mg/dL */
  totalCholesterol: number;
  /** mg/dL */
  hdl: number;
  sbp: number;
  diabetes: boolean;
  smoker: boolean;
  /** mL/min/1.73m² (CKD-EPI 2021) */
  egfr: number;
  antihypertensive: boolean;
  statin: boolean;
}

interface PreventCoefficients {
  age: number;
  nonHdl: number;
  hdl: number;
  sbpLow: number;
  sbpHigh: number;
  diabetes: number;
  smoker: number;
  egfrLow: number;
  egfrHigh: number;
  antihtn: number;
  statin: number;
  antihtnSbp: number;
  statinNonHdl: number;
  ageNonHdl: number;
  ageHdl: number;
  ageSbp: number;
  ageDiabetes: number;
  ageSmoker: number;
  ageEgfr: number;
  constant: number;
}

export const PREVENT_COEFFICIENTS: Readonly<
  Record<'cvd' | 'ascvd', Record<'female' | 'male', PreventCoefficients>>
> = Object.freeze({
  cvd: {
    female: {
      age: 0.7939329,
      nonHdl: 0.0305239,
      hdl: -0.1606857,
      sbpLow: -0.2394003,
      sbpHigh: 0.3600781,
      diabetes: 0.8667604,
      smoker: 0.5360739,
      egfrLow: 0.6045917,
      egfrHigh: 0.0433769,
      antihtn: 0.3151672,
      statin: -0.1477655,
      antihtnSbp: -0.0663612,
      statinNonHdl: 0.1197879,
      ageNonHdl: -0.0819715,
      ageHdl: 0.0306769,
      ageSbp: -0.0946348,
      ageDiabetes: -0.27057,
      ageSmoker: -0.078715,
      ageEgfr: -0.1637806,
      constant: -3.307728,
    },
    male: {
      age: 0.7688528,
      nonHdl: 0.0736174,
      hdl: -0.0954431,
      sbpLow: -0.4347345,
      sbpHigh: 0.3362658,
      diabetes: 0.7692857,
      smoker: 0.4386871,
      egfrLow: 0.5378979,
      egfrHigh: 0.0164827,
      antihtn: 0.288879,
      statin: -0.1337349,
      antihtnSbp: -0.0475924,
      statinNonHdl: 0.150273,
      ageNonHdl: -0.0517874,
      ageHdl: 0.0191169,
      ageSbp: -0.1049477,
      ageDiabetes: -0.2251948,
      ageSmoker: -0.0895067,
      ageEgfr: -0.1543702,
      constant: -3.031168,
    },
  },
  ascvd: {
    female: {
      age: 0.719883,
      nonHdl: 0.1176967,
      hdl: -0.151185,
      sbpLow: -0.0835358,
      sbpHigh: 0.3592852,
      diabetes: 0.8348585,
      smoker: 0.4831078,
      egfrLow: 0.4864619,
      egfrHigh: 0.0397779,
      antihtn: 0.2265309,
      statin: -0.0592374,
      antihtnSbp: -0.0395762,
      statinNonHdl: 0.0844423,
      ageNonHdl: -0.0567839,
      ageHdl: 0.0325692,
      ageSbp: -0.1035985,
      ageDiabetes: -0.2417542,
      ageSmoker: -0.0791142,
      ageEgfr: -0.1671492,
      constant: -3.819975,
    },
    male: {
      age: 0.7099847,
      nonHdl: 0.1658663,
      hdl: -0.1144285,
      sbpLow: -0.2837212,
      sbpHigh: 0.3239977,
      diabetes: 0.7189597,
      smoker: 0.3956973,
      egfrLow: 0.3690075,
      egfrHigh: 0.0203619,
      antihtn: 0.2036522,
      statin: -0.0865581,
      antihtnSbp: -0.0322916,
      statinNonHdl: 0.114563,
      ageNonHdl: -0.0300005,
      ageHdl: 0.0232747,
      ageSbp: -0.0927024,
      ageDiabetes: -0.2018525,
      ageSmoker: -0.0970527,
      ageEgfr: -0.1217081,
      constant: -3.500655,
    },
  },
});

/** mg/dL → mmol/L factor the PREVENT paper uses for cholesterol. */
const MMOL = 0.02586;

/** 10-year risk (0-1) of total CVD or ASCVD by the PREVENT base model. */
export function preventRisk(outcome: 'cvd' | 'ascvd', input: PreventInput): number {
  const c = PREVENT_COEFFICIENTS[outcome][input.sex];
  const age = (input.age - 55) / 10;
  const nonHdl = (input.totalCholesterol - input.hdl) * MMOL - 3.5;
  const hdl = (input.hdl * MMOL - 1.3) / 0.3;
  const sbpLow = (Math.min(input.sbp, 110) - 110) / 20;
  const sbpHigh = (Math.max(input.sbp, 110) - 130) / 20;
  const egfrLow = (Math.min(input.egfr, 60) - 60) / -15;
  const egfrHigh = (Math.max(input.egfr, 60) - 90) / -15;
  const dm = input.diabetes ? 1 : 0;
  const smk = input.smoker ? 1 : 0;
  const bpTx = input.antihypertensive ? 1 : 0;
  const statin = input.statin ? 1 : 0;
  const logit =
    c.age * age +
    c.nonHdl * nonHdl +
    c.hdl * hdl +
    c.sbpLow * sbpLow +
    c.sbpHigh * sbpHigh +
    c.diabetes * dm +
    c.smoker * smk +
    c.egfrLow * egfrLow +
    c.egfrHigh * egfrHigh +
    c.antihtn * bpTx +
    c.statin * statin +
    c.antihtnSbp * sbpHigh * bpTx +
    c.statinNonHdl * nonHdl * statin +
    c.ageNonHdl * age * nonHdl +
    c.ageHdl * age * hdl +
    c.ageSbp * age * sbpHigh +
    c.ageDiabetes * age * dm +
    c.ageSmoker * age * smk +
    c.ageEgfr * age * egfrLow +
    c.constant;
  return Math.exp(logit) / (1 + Math.exp(logit));
}

/** Input ranges of the PREVENT calculator; outside them the model gives no estimate. */
export function isPreventInputValid(input: PreventInput): boolean {
  return (
    input.age >= 30 &&
    input.age <= 79 &&
    input.totalCholesterol >= 130 &&
    input.totalCholesterol <= 320 &&
    input.hdl >= 20 &&
    input.hdl <= 100 &&
    input.sbp >= 90 &&
    input.sbp <= 200 &&
    input.egfr >= 15 &&
    input.egfr <= 150
  );
}
