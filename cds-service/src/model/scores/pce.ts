/**
 * Pooled Cohort Equations, 10-year hard ASCVD risk (Goff et al., 2013 ACC/AHA risk assessment
 * guideline, Circulation 2014;129:S49, Table A and its worked example). Coefficients checked against
 * the guideline's table and public implementations (e.g. the R code in qitools/COVID-19-mitigation-
 * with-positive-deviance, cardiovascularrisk.R). Valid for ages 40-79. The equations are race-
 * specific: the African American set is used only when the record states that race; every other
 * race uses the white set, as the guideline instructs.
 */
export type PceGroup = 'white-female' | 'african-american-female' | 'white-male' | 'african-american-male';

interface PceCoefficients {
  lnAge: number;
  lnAge2: number;
  lnTc: number;
  lnAgeLnTc: number;
  lnHdl: number;
  lnAgeLnHdl: number;
  lnTreatedSbp: number;
  lnAgeLnTreatedSbp: number;
  lnUntreatedSbp: number;
  lnAgeLnUntreatedSbp: number;
  smoker: number;
  lnAgeSmoker: number;
  diabetes: number;
  meanSum: number;
  baselineSurvival: number;
}

export const PCE_COEFFICIENTS: Readonly<Record<PceGroup, PceCoefficients>> = Object.freeze({
  'white-female': {
    lnAge: -29.799,
    lnAge2: 4.884,
    lnTc: 13.54,
    lnAgeLnTc: -3.114,
    lnHdl: -13.578,
    lnAgeLnHdl: 3.149,
    lnTreatedSbp: 2.019,
    lnAgeLnTreatedSbp: 0,
    lnUntreatedSbp: 1.957,
    lnAgeLnUntreatedSbp: 0,
    smoker: 7.574,
    lnAgeSmoker: -1.665,
    diabetes: 0.661,
    meanSum: -29.18,
    baselineSurvival: 0.9665,
  },
  'african-american-female': {
    lnAge: 17.114,
    lnAge2: 0,
    lnTc: 0.94,
    lnAgeLnTc: 0,
    lnHdl: -18.92,
    lnAgeLnHdl: 4.475,
    lnTreatedSbp: 29.291,
    lnAgeLnTreatedSbp: -6.432,
    lnUntreatedSbp: 27.82,
    lnAgeLnUntreatedSbp: -6.087,
    smoker: 0.691,
    lnAgeSmoker: 0,
    diabetes: 0.874,
    meanSum: 86.61,
    baselineSurvival: 0.9533,
  },
  'white-male': {
    lnAge: 12.344,
    lnAge2: 0,
    lnTc: 11.853,
    lnAgeLnTc: -2.664,
    lnHdl: -7.99,
    lnAgeLnHdl: 1.769,
    lnTreatedSbp: 1.797,
    lnAgeLnTreatedSbp: 0,
    lnUntreatedSbp: 1.764,
    lnAgeLnUntreatedSbp: 0,
    smoker: 7.837,
    lnAgeSmoker: -1.795,
    diabetes: 0.658,
    meanSum: 61.18,
    baselineSurvival: 0.9144,
  },
  'african-american-male': {
    lnAge: 2.469,
    lnAge2: 0,
    lnTc: 0.302,
    lnAgeLnTc: 0,
    lnHdl: -0.307,
    lnAgeLnHdl: 0,
    lnTreatedSbp: 1.916,
    lnAgeLnTreatedSbp: 0,
    lnUntreatedSbp: 1.809,
    lnAgeLnUntreatedSbp: 0,
    smoker: 0.549,
    lnAgeSmoker: 0,
    diabetes: 0.645,
    meanSum: 19.54,
    baselineSurvival: 0.8954,
  },
});

export interface PceInput {
  group: PceGroup;
  age: number;
  totalCholesterol: number;
  hdl: number;
  sbp: number;
  treatedBp: boolean;
  smoker: boolean;
  diabetes: boolean;
}

/** The individual sum of coefficient × value (the guideline's "Individual Sum"). */
export function pceIndividualSum(input: PceInput): number {
  const c = PCE_COEFFICIENTS[input.group];
  const lnAge = Math.log(input.age);
  const lnTc = Math.log(input.totalCholesterol);
  const lnHdl = Math.log(input.hdl);
  const lnSbp = Math.log(input.sbp);
  const smoker = input.smoker ? 1 : 0;
  return (
    c.lnAge * lnAge +
    c.lnAge2 * lnAge * lnAge +
    c.lnTc * lnTc +
    c.lnAgeLnTc * lnAge * lnTc +
    c.lnHdl * lnHdl +
    c.lnAgeLnHdl * lnAge * lnHdl +
    (input.treatedBp ? c.lnTreatedSbp * lnSbp + c.lnAgeLnTreatedSbp * lnAge * lnSbp : 0) +
    (input.treatedBp ? 0 : c.lnUntreatedSbp * lnSbp + c.lnAgeLnUntreatedSbp * lnAge * lnSbp) +
    c.smoker * smoker +
    c.lnAgeSmoker * lnAge * smoker +
    c.diabetes * (input.diabetes ? 1 : 0)
  );
}

/** 10-year ASCVD risk (0-1): 1 − S10^exp(sum − mean). */
export function pceRisk(input: PceInput): number {
  const c = PCE_COEFFICIENTS[input.group];
  return 1 - Math.pow(c.baselineSurvival, Math.exp(pceIndividualSum(input) - c.meanSum));
}
