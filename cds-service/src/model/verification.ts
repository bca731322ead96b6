/**
 * Whether a Condition or AllergyIntolerance was entered in error or refuted (its verificationStatus):
 * such a resource says nothing about the patient. One definition for the model, the site models'
 * features and `rationale calibrate`.
 */
import type { Condition } from '@rationale/shared-types';

export function isRefuted(resource: Pick<Condition, 'verificationStatus'>): boolean {
  const v = resource.verificationStatus?.coding?.[0]?.code;
  return v === 'refuted' || v === 'entered-in-error';
}
