/**
 * The exclusions, declared once as data: what each one means, how the record shows it (the
 * terminology layer's concept groups, or facts the findings extractor derives), its effect and
 * its source. Rules say which exclusions apply to them in knowledge/treatment/rule-exclusions.ts;
 * exclusions/apply.ts applies them to every recommendation and every order-safety alternative.
 */
import { z } from 'zod';

export const EXCLUSION_IDS = [
  'pregnancy',
  'lactation',
  'hospice',
  'intolerance',
  'major-bleeding',
  'age-band',
  'dialysis',
] as const;
export type ExclusionId = (typeof EXCLUSION_IDS)[number];

export const exclusionSchema = z.object({
  id: z.enum(EXCLUSION_IDS),
  label: z.string().min(1),
  /** How the record shows it, in words (shown in the app's knowledge view). */
  evidence: z.string().min(1),
  citationIds: z.array(z.string().min(1)).min(1),
});
export type Exclusion = z.infer<typeof exclusionSchema>;

const RAW: Exclusion[] = [
  {
    id: 'pregnancy',
    label: 'Pregnancy',
    evidence:
      'A pregnancy Condition (VSAC Pregnancy, Pregnant State; ICD-10-CM O00-O9A, Z33.1, Z34, Z3A; any code system), a pregnancy-status observation or a positive hCG test.',
    citationIds: ['fda-label-lisinopril', 'fda-label-warfarin', 'acc-aha-2018-cholesterol'],
  },
  {
    id: 'lactation',
    label: 'Breastfeeding',
    evidence: 'A breastfeeding Condition (VSAC Breastfeeding; ICD-10-CM Z39.1).',
    citationIds: ['fda-label-atorvastatin', 'fda-label-empagliflozin'],
  },
  {
    id: 'hospice',
    label: 'Hospice, palliative or comfort care',
    evidence:
      'A hospice, palliative-care or comfort-measures Condition, Encounter, Procedure, ServiceRequest or CarePlan (the eCQM hospice and palliative-care exclusion value sets), or an Observation as the eCQM Hospice and PalliativeCare libraries read it (Hospice care [Minimum Data Set] answered Yes; a FACIT-Pal assessment).',
    citationIds: ['ecqm-hospice-palliative-exclusion'],
  },
  {
    id: 'intolerance',
    label: 'Documented intolerance or adverse reaction',
    evidence:
      'An AllergyIntolerance (allergy or intolerance) to the drug or its class, or a recorded adverse reaction to it (statin-associated muscle symptoms, rhabdomyolysis, ACE-inhibitor angioedema).',
    citationIds: ['aaaai-acaai-2022-drug-allergy', 'acc-aha-2018-cholesterol'],
  },
  {
    id: 'major-bleeding',
    label: 'Active or recent major bleeding',
    evidence:
      'An active bleeding or bleeding-diathesis Condition, or one recorded in the last 90 days (VSAC Active Bleeding Excluding Menses or Bleeding Diathesis, Hemorrhagic Stroke; gastrointestinal bleeding).',
    citationIds: ['fda-label-apixaban', 'acc-aha-2023-af'],
  },
  {
    id: 'age-band',
    label: 'Age band where the guideline allows a shared decision only',
    evidence: 'Age from Patient.birthDate against the band the rule declares.',
    citationIds: ['acc-aha-2018-cholesterol'],
  },
  {
    id: 'dialysis',
    label: 'Dialysis or end-stage kidney disease',
    evidence:
      'An end-stage kidney disease or dialysis Condition, or a dialysis Encounter or Procedure in the last 90 days (VSAC End Stage Renal Disease, Hemodialysis, Peritoneal Dialysis, dialysis services).',
    citationIds: ['kdigo-2024-ckd-treatment', 'kdigo-2013-lipids'],
  },
];

export const EXCLUSIONS: ReadonlyMap<ExclusionId, Exclusion> = new Map(
  z
    .array(exclusionSchema)
    .parse(RAW)
    .map((e) => [e.id, e]),
);
