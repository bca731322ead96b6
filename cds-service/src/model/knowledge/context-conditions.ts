import type { ConditionCodeSet } from './condition-codes';

/**
 * Conditions the model does not diagnose but reads from the problem list, because recommendations
 * and order-safety rules depend on them (ASCVD, mechanical valve, ESRD, cirrhosis, ...).
 *
 * SNOMED CT codes are limited to concepts used by Synthea (53741008, 22298006, 230690007,
 * 414545008, 399211009, 401303003, 401314000, 5602001, 82423001, 233678006, 46177005) and
 * widely used top-level disorder concepts; ICD-10-CM entries are category prefixes ("I25" matches
 * I25.10). No mapping asserts more than its code says: Z95.2 (presence of prosthetic heart valve)
 * includes bioprosthetic valves, so `mechanical-valve` leans conservative (warfarin is proposed
 * rather than a DOAC).
 */
export const CONTEXT_CONDITIONS: ConditionCodeSet[] = [
  {
    id: 'ascvd',
    label: 'Clinical atherosclerotic cardiovascular disease',
    snomed: [
      '53741008', // coronary arteriosclerosis (Synthea "coronary heart disease")
      '22298006', // myocardial infarction
      '399211009', // history of myocardial infarction
      '401303003', // acute ST elevation myocardial infarction
      '401314000', // acute non-ST elevation myocardial infarction
      '414545008', // ischemic heart disease
      '194828000', // angina
      '230690007', // cerebrovascular accident
      '432504007', // cerebral infarction
      '266257000', // transient ischemic attack
      '399957001', // peripheral arterial occlusive disease
      '399261000', // history of coronary artery bypass grafting
    ],
    icd10: [
      'I20',
      'I21',
      'I22',
      'I23',
      'I24',
      'I25',
      'I63',
      'G45',
      'I70.2',
      'I73.9',
      'Z95.1',
      'Z95.5',
      'Z86.73',
      'Z98.61',
    ],
    citationIds: ['acc-aha-2018-cholesterol'],
  },
  {
    id: 'stroke-tia',
    label: 'Prior stroke or transient ischemic attack',
    snomed: ['230690007', '432504007', '266257000'],
    icd10: ['I63', 'G45', 'Z86.73'],
    citationIds: ['acc-aha-2023-af'],
  },
  {
    id: 'mechanical-valve',
    label: 'Prosthetic (mechanical) heart valve',
    snomed: [],
    icd10: ['Z95.2', 'T82.0'],
    citationIds: ['acc-aha-2023-af'],
  },
  {
    id: 'mitral-stenosis',
    label: 'Mitral stenosis',
    snomed: ['79619009'],
    icd10: ['I05.0', 'I05.2', 'I34.2'],
    citationIds: ['acc-aha-2023-af'],
  },
  {
    id: 'esrd-dialysis',
    label: 'End-stage kidney disease or dialysis',
    snomed: ['46177005', '105502003'],
    icd10: ['N18.6', 'Z99.2', 'Z49'],
    citationIds: [],
  },
  {
    id: 'cirrhosis',
    label: 'Cirrhosis of the liver',
    snomed: ['19943007'],
    icd10: ['K70.3', 'K74.6', 'K74.3', 'K74.4', 'K74.5'],
    citationIds: [],
  },
  { id: 'active-cancer', label: 'Malignant neoplasm', snomed: ['363346000'], icd10: ['C'], citationIds: [] },
  { id: 'sickle-cell', label: 'Sickle cell disease', snomed: ['417357006'], icd10: ['D57'], citationIds: [] },
  {
    id: 'angioedema-history',
    label: 'History of angioedema',
    snomed: ['41291007'],
    icd10: ['T78.3'],
    citationIds: [],
  },
  {
    id: 'opioid-use-disorder',
    label: 'Opioid use disorder',
    snomed: ['5602001', '75544000'],
    icd10: ['F11'],
    citationIds: [],
  },
  { id: 'breastfeeding', label: 'Breastfeeding', snomed: [], icd10: ['Z39.1'], citationIds: [] },
  {
    id: 'gi-bleed',
    label: 'Gastrointestinal bleeding',
    snomed: ['74474003'],
    icd10: ['K92.0', 'K92.1', 'K92.2', 'K25.0', 'K25.4', 'K26.0', 'K26.4'],
    citationIds: [],
  },
  {
    id: 'chronic-pain',
    label: 'Chronic pain',
    snomed: ['82423001'],
    icd10: ['G89.2', 'G89.4'],
    citationIds: [],
  },
  { id: 'type-1-diabetes', label: 'Type 1 diabetes', snomed: ['46635009'], icd10: ['E10'], citationIds: [] },
  {
    id: 'liver-disease',
    label: 'Chronic liver disease',
    snomed: ['235856003'],
    icd10: ['K70', 'K71', 'K72', 'K73', 'K74', 'K75', 'K76', 'K77'],
    citationIds: [],
  },
  { id: 'hospice', label: 'Hospice or palliative care', snomed: [], icd10: ['Z51.5'], citationIds: [] },
  // Also a diagnostic knowledge-base condition (inferred from inhalers); listed here for the
  // treatment rules that read it (beta-blocker cautions).
  { id: 'asthma', label: 'Asthma', snomed: ['195967001', '233678006'], icd10: ['J45'], citationIds: [] },
  // Other indications that confound record evidence of a problem (issue 14): beta-blockers for
  // migraine, anticoagulants for venous thromboembolism, metformin for polycystic ovary syndrome.
  {
    id: 'migraine',
    label: 'Migraine',
    snomed: ['37796009', '124171000119105'],
    icd10: ['G43'],
    citationIds: [],
  },
  {
    id: 'vte',
    label: 'Venous thromboembolism',
    snomed: ['128053003', '59282003'],
    icd10: ['I82.4', 'I26', 'Z86.71'],
    citationIds: [],
  },
  { id: 'pcos', label: 'Polycystic ovary syndrome', snomed: ['69878008'], icd10: ['E28.2'], citationIds: [] },
  {
    id: 'rhabdomyolysis',
    label: 'History of rhabdomyolysis',
    snomed: ['240131006'],
    icd10: ['M62.82'],
    citationIds: [],
  },
];
