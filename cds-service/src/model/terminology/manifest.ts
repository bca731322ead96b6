/**
 * What the terminology layer expands, and from where: each concept group names the published value
 * sets (VSAC OIDs, as pre-expanded in the eCQM content repository) or the code-system hierarchy
 * (ICD-10-CM categories and ranges) its members come from. `npm run terminology:build` reads this
 * manifest and the source repository and writes generated/value-sets.json; nobody types member
 * codes by hand. Group ids are the knowledge base's condition ids, so a member of a group is read
 * exactly as a hand-listed code of that condition was.
 *
 * Source: cqframework/ecqm-content-qicore-2024, input/vocabulary/valueset (VSAC expansions with
 * SNOMED CT, ICD-10-CM, RxNorm and LOINC members; the commit and each value set's version are
 * recorded in the generated file).
 */

/** Which FHIR resources a group is read from (exclusions read more than the problem list). */
export type GroupResource =
  'Condition' | 'Encounter' | 'Procedure' | 'ServiceRequest' | 'CarePlan' | 'Observation';

export interface ConceptGroupSpec {
  /** Knowledge-base condition id (`pregnancy`, `hospice`, `heart-failure`, ...). */
  id: string;
  label: string;
  /** VSAC value-set OIDs whose expansion members belong to the group. */
  valueSets: string[];
  /**
   * ICD-10-CM hierarchy: a code ("Z33.1"), a category ("Z3A", every code under it) or a range of
   * categories ("O00-O9A", every category from O00 to O9A inclusive, in ICD-10-CM order).
   */
  icd10cm?: string[];
  /** Keep only members whose published display matches (where a value set is wider than the concept). */
  includeDisplay?: string;
  /** Drop members whose published display matches. */
  excludeDisplay?: string;
  /** Resources besides Condition whose code (or type, category) is read for this group. */
  resources?: GroupResource[];
  /** Why these value sets define the concept. */
  note: string;
}

export interface AnalyteGroupSpec {
  /** Analyte id (findings/codes.ts). */
  id: string;
  valueSets: string[];
  /** Keep only LOINC members whose display matches (specimen and property the analyte means). */
  includeDisplay?: string;
  excludeDisplay?: string;
}

export const SOURCE_REPOSITORY = 'cqframework/ecqm-content-qicore-2024';
export const SOURCE_PATH = 'input/vocabulary/valueset';

export const CONCEPT_GROUPS: ConceptGroupSpec[] = [
  {
    id: 'pregnancy',
    label: 'Pregnancy',
    valueSets: ['2.16.840.1.113883.3.526.3.378', '2.16.840.1.113883.3.3157.4055'],
    // A gestational carrier (Z33.3) is pregnant: teratogen and pregnancy exclusions apply to her.
    icd10cm: ['O00-O9A', 'Z33.1', 'Z33.3', 'Z3A', 'Z34'],
    note: 'VSAC Pregnancy and Pregnant State; ICD-10-CM chapter 15 (O00-O9A), Z33.1 pregnant state, Z3A weeks of gestation and Z34 supervision of normal pregnancy.',
  },
  {
    id: 'breastfeeding',
    label: 'Breastfeeding',
    valueSets: ['2.16.840.1.113762.1.4.1047.73'],
    icd10cm: ['Z39.1'],
    note: 'VSAC Breastfeeding; ICD-10-CM Z39.1 care and examination of lactating mother.',
  },
  {
    id: 'hospice',
    label: 'Hospice, palliative or comfort care',
    valueSets: [
      '2.16.840.1.113883.3.464.1003.1003',
      '2.16.840.1.113762.1.4.1108.15',
      '2.16.840.1.113883.3.526.3.1584',
      '2.16.840.1.113762.1.4.1116.365',
      '2.16.840.1.113883.3.464.1003.1165',
      '2.16.840.1.113762.1.4.1095.101',
      '2.16.840.1.113883.3.464.1003.1167',
      '2.16.840.1.113883.3.464.1003.101.12.1090',
      '2.16.840.1.113883.3.464.1003.198.12.1135',
      '2.16.840.1.113883.3.600.1.1579',
      '1.3.6.1.4.1.33895.1.3.0.45',
    ],
    icd10cm: ['Z51.5'],
    resources: ['Encounter', 'Procedure', 'ServiceRequest', 'CarePlan', 'Observation'],
    note: 'The eCQM hospice and palliative-care exclusion value sets (hospice encounter, status, referral, diagnosis; palliative care diagnosis, encounter, intervention; comfort measures); Observations as the Hospice and PalliativeCare libraries read them (CQL_OBSERVATIONS).',
  },
  {
    id: 'esrd-dialysis',
    label: 'End-stage kidney disease or dialysis',
    valueSets: [
      '2.16.840.1.113883.3.526.3.353',
      '2.16.840.1.113883.3.526.3.1002',
      '2.16.840.1.113883.3.526.3.1083',
      '2.16.840.1.113883.3.526.3.1084',
      '2.16.840.1.113883.3.464.1003.109.12.1013',
      '2.16.840.1.113883.3.464.1003.109.12.1014',
      '2.16.840.1.113762.1.4.1248.199',
    ],
    icd10cm: ['N18.6', 'Z99.2', 'Z49'],
    resources: ['Encounter', 'Procedure', 'ServiceRequest'],
    note: 'VSAC End Stage Renal Disease, Chronic Kidney Disease Stage 5, Hemodialysis, Peritoneal Dialysis and dialysis services.',
  },
  {
    id: 'major-bleeding',
    label: 'Active bleeding or bleeding diathesis',
    valueSets: ['2.16.840.1.113883.3.3157.4036', '2.16.840.1.113883.3.117.1.7.1.212'],
    note: 'VSAC Active Bleeding Excluding Menses or Bleeding Diathesis and Hemorrhagic Stroke (the eCQM anticoagulation exclusions).',
  },
  {
    id: 'heart-failure',
    label: 'Heart failure',
    valueSets: ['2.16.840.1.113883.3.526.3.376'],
    icd10cm: ['I50'],
    note: 'VSAC Heart Failure; ICD-10-CM I50 (heart failure of any type and ejection fraction).',
  },
  {
    id: 'asthma',
    label: 'Asthma',
    valueSets: ['2.16.840.1.113883.3.526.3.362', '2.16.840.1.113883.3.117.1.7.1.271'],
    icd10cm: ['J45'],
    note: 'VSAC Asthma and Acute or Persistent Asthma; ICD-10-CM J45 (every asthma subtype).',
  },
  {
    id: 'af',
    label: 'Atrial fibrillation',
    valueSets: ['2.16.840.1.113883.3.117.1.7.1.202'],
    icd10cm: ['I48.0', 'I48.1', 'I48.2', 'I48.91'],
    includeDisplay: 'fibrillation',
    note: 'VSAC Atrial Fibrillation or Flutter, fibrillation members only; ICD-10-CM I48.0-I48.2 and I48.91.',
  },
  {
    id: 'htn',
    label: 'Hypertension',
    valueSets: ['2.16.840.1.113883.3.464.1003.104.12.1011', '2.16.840.1.113883.3.600.263'],
    excludeDisplay: 'pregnan|gestation|puerper|childbirth|pulmonary|ocular|intracranial|without hypertension',
    note: 'VSAC Essential Hypertension and Diagnosis of Hypertension (systemic; pregnancy and pulmonary forms left out).',
  },
  {
    id: 'type-1-diabetes',
    label: 'Type 1 diabetes',
    valueSets: ['2.16.840.1.113883.3.464.1003.103.12.1020'],
    icd10cm: ['E10'],
    note: 'VSAC Type 1 Diabetes; ICD-10-CM E10.',
  },
  {
    id: 't2d',
    label: 'Type 2 diabetes',
    valueSets: ['2.16.840.1.113883.3.464.1003.103.12.1001'],
    icd10cm: ['E11'],
    includeDisplay: 'type 2|type II',
    excludeDisplay: 'pregnan|gestation|puerper|childbirth',
    note: 'VSAC Diabetes, type 2 members only; ICD-10-CM E11.',
  },
  {
    id: 'ascvd',
    label: 'Clinical atherosclerotic cardiovascular disease',
    valueSets: [
      '2.16.840.1.113762.1.4.1047.46',
      '2.16.840.1.113762.1.4.1108.101',
      '2.16.840.1.113762.1.4.1047.21',
      '2.16.840.1.113762.1.4.1047.44',
    ],
    excludeDisplay: 'hemorrhag|subarachnoid|intracerebral|intracranial|aneurysm|dissection|embolism',
    note: 'The value sets of the CMS347 statin measure (ischemic heart disease, myocardial infarction, atherosclerosis and peripheral arterial disease, cerebrovascular disease, stroke or TIA), hemorrhagic and non-atherosclerotic members left out.',
  },
  {
    id: 'stroke-tia',
    label: 'Prior stroke, TIA or thromboembolism',
    valueSets: ['2.16.840.1.113883.3.117.1.7.1.247', '2.16.840.1.113762.1.4.1047.44'],
    icd10cm: ['I63', 'G45', 'Z86.73', 'I74'],
    excludeDisplay: 'hemorrhag|subarachnoid|intracerebral|intracranial',
    note: 'VSAC Ischemic Stroke and Cerebrovascular Disease Stroke or TIA (ischemic members); ICD-10-CM I74 arterial embolism and thrombosis; CHA2DS2-VASc counts stroke, TIA or systemic thromboembolism.',
  },
  {
    id: 'myocardial-infarction',
    label: 'Prior myocardial infarction',
    valueSets: ['2.16.840.1.113762.1.4.1108.101', '2.16.840.1.113883.3.666.5.623'],
    icd10cm: ['I21', 'I22', 'I25.2'],
    note: 'VSAC Myocardial Infarction and Acute Myocardial Infarction; ICD-10-CM I21, I22, I25.2 old MI.',
  },
  {
    id: 'pad',
    label: 'Peripheral artery disease',
    valueSets: ['2.16.840.1.113762.1.4.1047.21'],
    icd10cm: ['I70.2', 'I73.9'],
    excludeDisplay: 'coronary|heart|cerebr',
    note: 'VSAC Atherosclerosis and Peripheral Arterial Disease, coronary and cerebral members left out.',
  },
  {
    id: 'aortic-plaque',
    label: 'Aortic atherosclerosis (plaque)',
    valueSets: [],
    icd10cm: ['I70.0'],
    note: 'ICD-10-CM I70.0 atherosclerosis of aorta: the aortic plaque of the CHA2DS2-VASc vascular-disease item.',
  },
  {
    id: 'statin-muscle-symptoms',
    label: 'Statin-associated muscle symptoms',
    valueSets: ['2.16.840.1.113762.1.4.1108.85'],
    includeDisplay: 'statin|drug-induced',
    note: 'VSAC Statin Associated Muscle Symptoms, drug-related members only (unspecified myalgia is not an intolerance).',
  },
];

/** LOINC groups for the analytes the model reads; specimen filters keep the serum/blood codes. */
export const ANALYTE_GROUPS: AnalyteGroupSpec[] = [
  { id: 'egfr', valueSets: ['2.16.840.1.113883.3.6929.3.1000'] },
  {
    id: 'creatinine',
    valueSets: ['2.16.840.1.113762.1.4.1248.21', '2.16.840.1.113883.3.666.5.2363'],
    includeDisplay: 'Serum|Plasma|Blood',
    excludeDisplay: 'Urine|dialys|--',
  },
  { id: 'uacr', valueSets: ['2.16.840.1.113883.3.6929.3.1007'] },
  {
    id: 'potassium',
    valueSets: ['2.16.840.1.113762.1.4.1045.117'],
    includeDisplay: 'Moles/volume',
    excludeDisplay: '--',
  },
  { id: 'sodium', valueSets: ['2.16.840.1.113762.1.4.1045.119'], excludeDisplay: '--|Urine' },
  {
    id: 'glucose',
    valueSets: ['2.16.840.1.113762.1.4.1248.34'],
    excludeDisplay: 'Fasting|--|Interstitial',
  },
  { id: 'glucose-fasting', valueSets: ['2.16.840.1.113762.1.4.1248.34'], includeDisplay: '^Fasting' },
  { id: 'a1c', valueSets: ['2.16.840.1.113883.3.464.1003.198.12.1013'] },
  { id: 'ldl', valueSets: ['2.16.840.1.113883.3.526.3.1573'], includeDisplay: 'Mass/volume' },
  {
    id: 'hemoglobin',
    valueSets: ['2.16.840.1.113762.1.4.1248.219'],
    includeDisplay: 'Mass/volume',
    excludeDisplay: 'Urine|--',
  },
  { id: 'platelets', valueSets: ['2.16.840.1.113762.1.4.1045.127'], excludeDisplay: '--' },
  { id: 'wbc', valueSets: ['2.16.840.1.113762.1.4.1045.129'], excludeDisplay: '--|Urine|fluid' },
  { id: 'inr', valueSets: ['2.16.840.1.113883.3.117.1.7.1.213'] },
  { id: 'albumin', valueSets: ['2.16.840.1.113762.1.4.1248.221'], includeDisplay: 'Mass/volume' },
  { id: 'ast', valueSets: ['2.16.840.1.113762.1.4.1248.224'], excludeDisplay: '--' },
  { id: 'sbp', valueSets: ['2.16.840.1.113762.1.4.1045.163'] },
  {
    id: 'hcg',
    valueSets: ['2.16.840.1.113883.3.464.1003.111.12.1011'],
    excludeDisplay: 'Cord blood|24 hour',
  },
];

/**
 * RxNorm: every RxNorm member (SCD, SBD, GPCK, BPCK, IN) of every value set in the source whose
 * published display names an ingredient of the drug table is kept with that display, so a drug
 * coded only by its clinical-drug code resolves to its ingredients and classes.
 */
export const RXNORM_SYSTEM_URL = 'http://www.nlm.nih.gov/research/umls/rxnorm';

/**
 * eCQM CQL libraries whose Observation retrievals by a direct-reference code count toward a group:
 * the generator reads each library's `code` declarations and every `[Observation: "code"]`
 * retrieval (with the answer a `value ~ "code"` comparison requires) and records the library's
 * name and version as the source. Nobody copies the codes by hand.
 */
export interface CqlObservationSpec {
  /** Path of the .cql file in the source repository. */
  path: string;
  group: string;
  note: string;
}

export const CQL_OBSERVATIONS: CqlObservationSpec[] = [
  {
    path: 'input/cql/Hospice.cql',
    group: 'hospice',
    note: 'Hospice library "Has Hospice Services": a Hospice care [Minimum Data Set] assessment answered Yes.',
  },
  {
    path: 'input/cql/PalliativeCare.cql',
    group: 'hospice',
    note: 'PalliativeCare library "Has Palliative Care in the Measurement Period": a FACIT-Pal assessment performed.',
  },
];
