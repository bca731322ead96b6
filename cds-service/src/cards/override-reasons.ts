/**
 * Override reasons offered on every card (CDS Hooks 2.0 §Card Attributes: each Coding MUST have a
 * display). Where the CDS Hooks 3.0 ballot's Non-Adherence Reason code system has the concept, its
 * code is used; the other reasons use the project's own code system. The monitoring page counts
 * overrides by these codes, so they are stable.
 */
import type { Coding } from '@rationale/shared-types';

/** CDS Hooks 3.0 ballot: http://terminology.hl7.org/CodeSystem/non-adherence-reason-codes. */
export const NON_ADHERENCE_SYSTEM = 'http://terminology.hl7.org/CodeSystem/non-adherence-reason-codes';
export const OVERRIDE_REASON_SYSTEM = 'https://rationale.health/cds/override-reason';

export type OverrideReason = Required<Pick<Coding, 'system' | 'code' | 'display'>>;

export const ALREADY_ADDRESSED: OverrideReason = {
  system: NON_ADHERENCE_SYSTEM,
  code: 'action-completed',
  display: 'Already addressed',
};
export const NOT_APPROPRIATE: OverrideReason = {
  system: NON_ADHERENCE_SYSTEM,
  code: 'cds-not-applicable',
  display: 'Not clinically appropriate for this patient',
};
export const PATIENT_DECLINED: OverrideReason = {
  system: OVERRIDE_REASON_SYSTEM,
  code: 'patient-declined',
  display: 'Patient declined',
};
export const DATA_INCORRECT: OverrideReason = {
  system: OVERRIDE_REASON_SYSTEM,
  code: 'data-incorrect',
  display: 'Data incorrect or outdated',
};
export const BENEFIT_OUTWEIGHS_RISK: OverrideReason = {
  system: OVERRIDE_REASON_SYSTEM,
  code: 'benefit-outweighs-risk',
  display: 'Benefit outweighs risk, will monitor',
};

/** Reasons for diagnosis and guideline cards. */
export const ADVICE_OVERRIDE_REASONS: readonly OverrideReason[] = [
  ALREADY_ADDRESSED,
  NOT_APPROPRIATE,
  PATIENT_DECLINED,
  DATA_INCORRECT,
];

/** Reasons for order-safety cards: the same, plus a considered decision to go ahead. */
export const SAFETY_OVERRIDE_REASONS: readonly OverrideReason[] = [
  BENEFIT_OUTWEIGHS_RISK,
  ALREADY_ADDRESSED,
  NOT_APPROPRIATE,
  PATIENT_DECLINED,
  DATA_INCORRECT,
];

/** Every reason a card can carry, for the monitoring page's labels. */
export const ALL_OVERRIDE_REASONS: readonly OverrideReason[] = SAFETY_OVERRIDE_REASONS;
