/**
 * Tunable thresholds of the model. Defaults are the cited guideline values; the service's
 * configuration file may override them per deployment.
 */
export interface ModelSettings {
  /** Posterior at or above which an unrecorded condition is `suggested` when its criteria are not met. */
  minSuggestedPosterior: number;
  /**
   * Posterior at or above which an unrecorded condition whose guideline criteria are not met is
   * still `suggested`, on the strength of the whole record (treatments, procedures, coded reasons).
   * 0.8: the lowest positive predictive value among Wright et al.'s validated problem-inference
   * rules was 79.8% (JAMIA 2011;18(6):859-67); a suggestion should be at least as likely as theirs.
   */
  phenotypeSuggestedPosterior: number;
  /** 10-year ASCVD risk at or above which a statin is recommended in primary prevention (7.5%). */
  statinRiskThreshold: number;
  /** Labs older than this many months do not count as current data for a rule. */
  labRecencyMonths: number;
  /**
   * Locally recalibrated overall priors by condition id (`rationale calibrate`, configuration
   * `calibrationFile`): each condition's age and sex bands are moved by the same odds ratio as its
   * overall prior. Absent: the published priors.
   */
  priorCalibration?: Readonly<Record<string, CalibratedPrior>>;
  /**
   * Locally re-estimated likelihood ratios (`rationale calibrate`, version 2 files): by condition
   * id, then finding code. Absent for a finding: its published LRs.
   */
  lrCalibration?: CalibratedLikelihoodRatios;
}

/** One calibrated LR and what it came from (model/calibration.ts). */
export interface CalibratedLr {
  calibrated: number;
  published: number;
  localEstimate: number;
  interval: readonly [number, number];
  /** Local patients with the finding known: with the condition recorded, and without. */
  cases: number;
  nonCases: number;
}

/** Condition id → finding code → its LR+ and LR−, each where the site's data allowed it. */
export type CalibratedLikelihoodRatios = Readonly<
  Record<string, Readonly<Record<string, { positive?: CalibratedLr; negative?: CalibratedLr }>>>
>;

/** A condition's calibrated prior and what it came from (model/calibration.ts). */
export interface CalibratedPrior {
  calibrated: number;
  published: number;
  localEstimate: number;
  interval: readonly [number, number];
  localPatients: number;
}

export const DEFAULT_MODEL_SETTINGS: ModelSettings = Object.freeze({
  minSuggestedPosterior: 0.6,
  phenotypeSuggestedPosterior: 0.8,
  // 2018 AHA/ACC cholesterol guideline (Grundy et al., Circulation 2019;139:e1082): ≥7.5% intermediate risk.
  statinRiskThreshold: 0.075,
  labRecencyMonths: 24,
});
