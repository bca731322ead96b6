/**
 * Tunable thresholds of the model. Defaults are the cited guideline values; the service's
 * configuration file may override them per deployment.
 */
export interface ModelSettings {
  /** Posterior at or above which an unrecorded condition is `suggested` when its criteria are not met. */
  minSuggestedPosterior: number;
  /** 10-year ASCVD risk at or above which a statin is recommended in primary prevention (7.5%). */
  statinRiskThreshold: number;
  /** Labs older than this many months do not count as current data for a rule. */
  labRecencyMonths: number;
}

export const DEFAULT_MODEL_SETTINGS: ModelSettings = Object.freeze({
  minSuggestedPosterior: 0.6,
  // 2018 AHA/ACC cholesterol guideline (Grundy et al., Circulation 2019;139:e1082): ≥7.5% intermediate risk.
  statinRiskThreshold: 0.075,
  labRecencyMonths: 24,
});
