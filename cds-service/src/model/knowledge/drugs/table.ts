/**
 * The drug table: RxNorm ingredient → drug classes, the data every recommendation and safety rule
 * reads. Validated by zod when the module loads (a bad entry fails the build, not a request).
 *
 * RxNorm codes. Ingredient (IN) RXCUIs are the RxNorm ingredient concepts. Clinical drug (SCD)
 * codes are listed only where checked against a pre-expanded VSAC value set in
 * cqframework/ecqm-content-qicore-2024 (RxNorm 2024-01): High Intensity Statin Therapy
 * 2.16.840.1.113883.3.526.3.1572, Moderate Intensity Statin Therapy .1575, ACE Inhibitor or ARB
 * or ARNI .1139 and Oral Anticoagulant Medications 2.16.840.1.113883.3.3157.4045. Opioid
 * ingredient codes (codeine 2670, fentanyl 4337, hydrocodone 5489, hydromorphone 3423, methadone
 * 6813, morphine 7052, oxycodone 7804, oxymorphone 7814) were checked against
 * cqframework/opioid-cds-r4 input/cql/ConversionFactors.cql; tapentadol 787390 and tramadol 10689
 * against public opioid value-set lists. The ARNI has no ingredient code here (sacubitril/valsartan
 * is matched by its checked SCD codes and by name).
 *
 * MME factors: CDC 2022 guideline (Dowell et al., MMWR Recomm Rep 2022;71(3)), conversion table:
 * codeine 0.15, hydrocodone 1, hydromorphone 5, methadone 4.7, morphine 1, oxycodone 1.5,
 * oxymorphone 3, tapentadol 0.4, tramadol 0.2; transdermal fentanyl 2.4 per mcg/h.
 */
import { z } from 'zod';

export const DRUG_CLASSES = [
  'statin',
  'statin-cyp3a4-substrate',
  'statin-high-intensity',
  'statin-moderate-intensity',
  'statin-low-intensity',
  'acei',
  'arb',
  'arni',
  'raas-inhibitor',
  'beta-blocker',
  'beta-blocker-hfref',
  'beta-blocker-nonselective',
  'beta-blocker-cardioselective',
  'mra',
  'potassium-sparing-diuretic',
  'potassium-supplement',
  'thiazide',
  'loop-diuretic',
  'ccb',
  'ccb-dhp',
  'ccb-non-dhp',
  'antihypertensive',
  'sglt2i',
  'sglt2i-proven-benefit',
  'glp1ra',
  'glp1ra-proven-benefit',
  'biguanide',
  'sulfonylurea',
  'insulin',
  'dpp4i',
  'thiazolidinedione',
  'glucose-lowering',
  'doac',
  'vka',
  'oral-anticoagulant',
  'antiplatelet',
  'aspirin',
  'p2y12-inhibitor',
  'nsaid',
  'opioid',
  'benzodiazepine',
  'opioid-antagonist',
  'gabapentinoid',
  'analgesic-nonopioid',
  'penicillin',
  'cephalosporin',
  'carbapenem',
  'beta-lactam',
  'sulfonamide-antibiotic',
  'sulfonamide-nonantibiotic',
  'fluoroquinolone',
  'macrolide',
  'azole-antifungal',
  'nitrofurantoin',
  'folate-antagonist-antibiotic',
  'strong-cyp3a4-inhibitor',
  'strong-cyp3a4-pgp-inducer',
  'warfarin-potentiator',
  'ppi',
  'cyp2c19-inhibiting-ppi',
  'antiarrhythmic',
  'cardiac-glycoside',
  'lithium',
  'antiepileptic',
  'retinoid',
  'antimetabolite',
  'pde5-inhibitor',
  'nitrate',
  'colchicine',
  'qt-known-risk',
  'ssri',
  'antiemetic',
  'antipsychotic',
  'teratogen',
  'lipid-lowering',
  // Classes read as record evidence of a problem (issue 14): no safety rule depends on them.
  'thyroid-hormone',
  'xanthine-oxidase-inhibitor',
  'bisphosphonate',
  'inhaled-corticosteroid',
  'laba',
  'lama',
  'saba',
  'iron-supplement',
  'vitamin-b12',
  'antidepressant',
] as const;
export type DrugClass = (typeof DRUG_CLASSES)[number];

const drugClassSchema = z.enum(DRUG_CLASSES);

export const drugEntrySchema = z.object({
  ingredient: z.string().regex(/^[a-z][a-z0-9 /-]*$/),
  /** RxNorm ingredient RXCUI. */
  rxnorm: z.string().regex(/^\d+$/).optional(),
  classes: z.array(drugClassSchema).min(1),
  /** Other names matched in text (brands, salts, abbreviations), lower case. */
  synonyms: z.array(z.string()).optional(),
  /** Clinical drugs (SCD) checked against the value sets named above, with the strength in mg. */
  clinicalDrugs: z
    .array(z.object({ rxnorm: z.string().regex(/^\d+$/), mg: z.number().positive(), display: z.string() }))
    .optional(),
  /** Morphine milligram equivalents per mg (per mcg/h for transdermal fentanyl). */
  mmeFactor: z.number().positive().optional(),
});
export type DrugEntry = z.infer<typeof drugEntrySchema>;

type C = DrugClass;
const d = (
  ingredient: string,
  rxnorm: string | undefined,
  classes: C[],
  extra: Partial<DrugEntry> = {},
): DrugEntry => ({
  ingredient,
  ...(rxnorm ? { rxnorm } : {}),
  classes,
  ...extra,
});

const STATIN: C[] = ['statin', 'lipid-lowering', 'teratogen'];
const ACEI: C[] = ['acei', 'raas-inhibitor', 'antihypertensive', 'teratogen'];
const ARB: C[] = ['arb', 'raas-inhibitor', 'antihypertensive', 'teratogen'];
const DOAC: C[] = ['doac', 'oral-anticoagulant'];
const NSAID: C[] = ['nsaid'];
const OPIOID: C[] = ['opioid'];
const BENZO: C[] = ['benzodiazepine'];
const PEN: C[] = ['penicillin', 'beta-lactam'];
const CEPH: C[] = ['cephalosporin', 'beta-lactam'];
const SGLT2: C[] = ['sglt2i', 'glucose-lowering'];
const GLP1: C[] = ['glp1ra', 'glucose-lowering'];

const RAW: DrugEntry[] = [
  // Statins (2018 AHA/ACC cholesterol guideline, Table 3 intensities; see statin-intensity.ts).
  d('atorvastatin', '83367', STATIN, {
    synonyms: ['lipitor'],
    clinicalDrugs: [
      { rxnorm: '617312', mg: 10, display: 'atorvastatin 10 MG Oral Tablet' },
      { rxnorm: '617310', mg: 20, display: 'atorvastatin 20 MG Oral Tablet' },
      { rxnorm: '617311', mg: 40, display: 'atorvastatin 40 MG Oral Tablet' },
      { rxnorm: '259255', mg: 80, display: 'atorvastatin 80 MG Oral Tablet' },
    ],
  }),
  d('rosuvastatin', '301542', STATIN, {
    synonyms: ['crestor'],
    clinicalDrugs: [
      { rxnorm: '859424', mg: 5, display: 'rosuvastatin calcium 5 MG Oral Tablet' },
      { rxnorm: '859747', mg: 10, display: 'rosuvastatin calcium 10 MG Oral Tablet' },
      { rxnorm: '859751', mg: 20, display: 'rosuvastatin calcium 20 MG Oral Tablet' },
      { rxnorm: '859419', mg: 40, display: 'rosuvastatin calcium 40 MG Oral Tablet' },
    ],
  }),
  d('simvastatin', '36567', [...STATIN, 'statin-cyp3a4-substrate'], {
    // "Simvistatin": a misspelling that exported records carry in their medication text.
    synonyms: ['zocor', 'simvistatin'],
    clinicalDrugs: [
      { rxnorm: '312961', mg: 20, display: 'simvastatin 20 MG Oral Tablet' },
      { rxnorm: '198211', mg: 40, display: 'simvastatin 40 MG Oral Tablet' },
      { rxnorm: '200345', mg: 80, display: 'simvastatin 80 MG Oral Tablet' },
    ],
  }),
  d('lovastatin', '6472', [...STATIN, 'statin-cyp3a4-substrate'], {
    clinicalDrugs: [{ rxnorm: '197905', mg: 40, display: 'lovastatin 40 MG Oral Tablet' }],
  }),
  d('pravastatin', '42463', STATIN, {
    clinicalDrugs: [
      { rxnorm: '904475', mg: 40, display: 'pravastatin sodium 40 MG Oral Tablet' },
      { rxnorm: '904481', mg: 80, display: 'pravastatin sodium 80 MG Oral Tablet' },
    ],
  }),
  d('fluvastatin', '41127', STATIN),
  d('pitavastatin', '861634', STATIN),
  d('ezetimibe', '341248', ['lipid-lowering']),

  // Renin-angiotensin system.
  d('lisinopril', '29046', ACEI, {
    synonyms: ['zestril', 'prinivil'],
    clinicalDrugs: [
      { rxnorm: '311354', mg: 5, display: 'lisinopril 5 MG Oral Tablet' },
      { rxnorm: '314076', mg: 10, display: 'lisinopril 10 MG Oral Tablet' },
      { rxnorm: '314077', mg: 20, display: 'lisinopril 20 MG Oral Tablet' },
      { rxnorm: '197884', mg: 40, display: 'lisinopril 40 MG Oral Tablet' },
    ],
  }),
  d('enalapril', '3827', ACEI),
  d('ramipril', '35296', ACEI),
  d('captopril', '1998', ACEI),
  d('benazepril', '18867', ACEI),
  d('quinapril', '35208', ACEI),
  d('fosinopril', '50166', ACEI),
  d('perindopril', '54552', ACEI),
  d('trandolapril', '38454', ACEI),
  d('losartan', '52175', ARB, { synonyms: ['cozaar'] }),
  d('valsartan', '69749', ARB, { synonyms: ['diovan'] }),
  d('irbesartan', '83818', ARB),
  d('candesartan', '214354', ARB),
  d('olmesartan', '321064', ARB),
  d('telmisartan', '73494', ARB),
  d('sacubitril/valsartan', undefined, ['arni', 'raas-inhibitor', 'antihypertensive', 'teratogen'], {
    synonyms: ['sacubitril', 'entresto'],
    clinicalDrugs: [
      { rxnorm: '1656340', mg: 50, display: 'sacubitril 24 MG / valsartan 26 MG Oral Tablet' },
      { rxnorm: '1656349', mg: 100, display: 'sacubitril 49 MG / valsartan 51 MG Oral Tablet' },
      { rxnorm: '1656354', mg: 200, display: 'sacubitril 97 MG / valsartan 103 MG Oral Tablet' },
    ],
  }),

  // Beta-blockers (evidence-based in HFrEF: carvedilol, metoprolol succinate, bisoprolol; 2022 HF guideline).
  d('carvedilol', '20352', [
    'beta-blocker',
    'beta-blocker-hfref',
    'beta-blocker-nonselective',
    'antihypertensive',
  ]),
  d('bisoprolol', '19484', [
    'beta-blocker',
    'beta-blocker-hfref',
    'beta-blocker-cardioselective',
    'antihypertensive',
  ]),
  // Metoprolol succinate is evidence-based in HFrEF, tartrate is not: classifyMedication adds
  // `beta-blocker-hfref` only when the text names the succinate or an extended-release form.
  d('metoprolol', '6918', ['beta-blocker', 'beta-blocker-cardioselective', 'antihypertensive']),
  d('atenolol', '1202', ['beta-blocker', 'beta-blocker-cardioselective', 'antihypertensive']),
  d('nebivolol', '31555', ['beta-blocker', 'beta-blocker-cardioselective', 'antihypertensive']),
  d('propranolol', '8787', ['beta-blocker', 'beta-blocker-nonselective', 'antihypertensive']),
  d('nadolol', '7226', ['beta-blocker', 'beta-blocker-nonselective', 'antihypertensive']),
  d('labetalol', '6185', ['beta-blocker', 'beta-blocker-nonselective', 'antihypertensive']),

  // Diuretics, potassium.
  d('spironolactone', '9997', ['mra', 'potassium-sparing-diuretic', 'antihypertensive'], {
    synonyms: ['aldactone'],
  }),
  d('eplerenone', '298869', ['mra', 'potassium-sparing-diuretic', 'antihypertensive']),
  d('amiloride', '644', ['potassium-sparing-diuretic', 'antihypertensive']),
  d('triamterene', '10763', ['potassium-sparing-diuretic', 'antihypertensive']),
  d('hydrochlorothiazide', '5487', ['thiazide', 'sulfonamide-nonantibiotic', 'antihypertensive'], {
    synonyms: ['hctz'],
  }),
  d('chlorthalidone', '2409', ['thiazide', 'sulfonamide-nonantibiotic', 'antihypertensive']),
  d('indapamide', '5764', ['thiazide', 'sulfonamide-nonantibiotic', 'antihypertensive']),
  d('furosemide', '4603', ['loop-diuretic', 'sulfonamide-nonantibiotic'], { synonyms: ['lasix'] }),
  d('bumetanide', '1808', ['loop-diuretic', 'sulfonamide-nonantibiotic']),
  d('torsemide', '38413', ['loop-diuretic', 'sulfonamide-nonantibiotic']),
  d('potassium chloride', '8591', ['potassium-supplement'], { synonyms: ['klor-con', 'k-dur'] }),

  // Calcium channel blockers.
  d('amlodipine', '17767', ['ccb', 'ccb-dhp', 'antihypertensive'], { synonyms: ['norvasc'] }),
  d('nifedipine', '7417', ['ccb', 'ccb-dhp', 'antihypertensive']),
  d('felodipine', '4316', ['ccb', 'ccb-dhp', 'antihypertensive']),
  d('diltiazem', '3443', ['ccb', 'ccb-non-dhp', 'antihypertensive']),
  d('verapamil', '11170', ['ccb', 'ccb-non-dhp', 'antihypertensive']),

  // Glucose-lowering.
  d('metformin', '6809', ['biguanide', 'glucose-lowering'], { synonyms: ['glucophage'] }),
  d('empagliflozin', '1545653', [...SGLT2, 'sglt2i-proven-benefit'], { synonyms: ['jardiance'] }),
  d('dapagliflozin', '1488564', [...SGLT2, 'sglt2i-proven-benefit'], { synonyms: ['farxiga'] }),
  d('canagliflozin', '1373458', [...SGLT2, 'sglt2i-proven-benefit'], { synonyms: ['invokana'] }),
  d('ertugliflozin', '1992672', SGLT2),
  d('semaglutide', '1991302', [...GLP1, 'glp1ra-proven-benefit'], {
    synonyms: ['ozempic', 'wegovy', 'rybelsus'],
  }),
  d('liraglutide', '475968', [...GLP1, 'glp1ra-proven-benefit'], { synonyms: ['victoza'] }),
  d('dulaglutide', '1551291', [...GLP1, 'glp1ra-proven-benefit'], { synonyms: ['trulicity'] }),
  d('exenatide', '60548', GLP1),
  d('tirzepatide', '2601723', GLP1, { synonyms: ['mounjaro', 'zepbound'] }),
  d('glipizide', '4821', ['sulfonylurea', 'glucose-lowering']),
  d('glyburide', '4815', ['sulfonylurea', 'glucose-lowering']),
  d('glimepiride', '25789', ['sulfonylurea', 'glucose-lowering']),
  d('insulin glargine', '274783', ['insulin', 'glucose-lowering']),
  d('insulin lispro', '86009', ['insulin', 'glucose-lowering']),
  d('insulin aspart', '51428', ['insulin', 'glucose-lowering']),
  d('insulin detemir', '139825', ['insulin', 'glucose-lowering']),
  d('insulin', undefined, ['insulin', 'glucose-lowering'], {
    synonyms: ['insulin isophane', 'regular insulin', 'nph insulin'],
  }),
  d('linagliptin', '1100699', ['dpp4i', 'glucose-lowering'], { synonyms: ['tradjenta'] }),
  d('sitagliptin', '593411', ['dpp4i', 'glucose-lowering'], { synonyms: ['januvia'] }),
  d('pioglitazone', '33738', ['thiazolidinedione', 'glucose-lowering']),
  d('rosiglitazone', '84108', ['thiazolidinedione', 'glucose-lowering']),

  // Anticoagulants and antiplatelets.
  d('apixaban', '1364430', DOAC, {
    synonyms: ['eliquis'],
    clinicalDrugs: [
      { rxnorm: '1364435', mg: 2.5, display: 'apixaban 2.5 MG Oral Tablet' },
      { rxnorm: '1364445', mg: 5, display: 'apixaban 5 MG Oral Tablet' },
    ],
  }),
  d('rivaroxaban', '1114195', DOAC, {
    synonyms: ['xarelto'],
    clinicalDrugs: [
      { rxnorm: '1114198', mg: 10, display: 'rivaroxaban 10 MG Oral Tablet' },
      { rxnorm: '1232082', mg: 15, display: 'rivaroxaban 15 MG Oral Tablet' },
      { rxnorm: '1232086', mg: 20, display: 'rivaroxaban 20 MG Oral Tablet' },
    ],
  }),
  d('dabigatran', '1546356', DOAC, {
    synonyms: ['pradaxa', 'dabigatran etexilate'],
    clinicalDrugs: [
      { rxnorm: '1037179', mg: 75, display: 'dabigatran etexilate 75 MG Oral Capsule' },
      { rxnorm: '1037045', mg: 150, display: 'dabigatran etexilate 150 MG Oral Capsule' },
    ],
  }),
  d('edoxaban', '1599538', DOAC, {
    synonyms: ['savaysa'],
    clinicalDrugs: [
      { rxnorm: '1599551', mg: 30, display: 'edoxaban 30 MG Oral Tablet' },
      { rxnorm: '1599555', mg: 60, display: 'edoxaban 60 MG Oral Tablet' },
    ],
  }),
  d('warfarin', '11289', ['vka', 'oral-anticoagulant', 'teratogen'], {
    synonyms: ['coumadin', 'jantoven'],
    clinicalDrugs: [{ rxnorm: '855332', mg: 5, display: 'warfarin sodium 5 MG Oral Tablet' }],
  }),
  d('aspirin', '1191', ['aspirin', 'antiplatelet'], { synonyms: ['acetylsalicylic acid', 'asa'] }),
  d('clopidogrel', '32968', ['antiplatelet', 'p2y12-inhibitor'], { synonyms: ['plavix'] }),
  d('prasugrel', '613391', ['antiplatelet', 'p2y12-inhibitor']),
  d('ticagrelor', '1116632', ['antiplatelet', 'p2y12-inhibitor']),

  // NSAIDs, analgesics.
  d('ibuprofen', '5640', NSAID, { synonyms: ['advil', 'motrin'] }),
  d('naproxen', '7258', NSAID, { synonyms: ['aleve'] }),
  d('diclofenac', '3355', NSAID),
  d('meloxicam', '41493', NSAID),
  d('ketorolac', '35827', NSAID),
  d('indomethacin', '5781', NSAID),
  d('celecoxib', '140587', [...NSAID, 'sulfonamide-nonantibiotic'], { synonyms: ['celebrex'] }),
  d('acetaminophen', '161', ['analgesic-nonopioid'], { synonyms: ['paracetamol', 'tylenol', 'apap'] }),

  // Opioids (MME factors per CDC 2022), antagonist.
  d('morphine', '7052', OPIOID, { mmeFactor: 1 }),
  d('oxycodone', '7804', OPIOID, { mmeFactor: 1.5, synonyms: ['oxycontin', 'percocet'] }),
  d('hydrocodone', '5489', OPIOID, { mmeFactor: 1, synonyms: ['norco', 'vicodin'] }),
  d('hydromorphone', '3423', OPIOID, { mmeFactor: 5, synonyms: ['dilaudid'] }),
  d('oxymorphone', '7814', OPIOID, { mmeFactor: 3 }),
  d('codeine', '2670', OPIOID, { mmeFactor: 0.15 }),
  d('tramadol', '10689', OPIOID, { mmeFactor: 0.2, synonyms: ['ultram'] }),
  d('tapentadol', '787390', OPIOID, { mmeFactor: 0.4, synonyms: ['nucynta'] }),
  d('methadone', '6813', [...OPIOID, 'qt-known-risk'], { mmeFactor: 4.7 }),
  d('fentanyl', '4337', OPIOID, { mmeFactor: 2.4, synonyms: ['duragesic'] }),
  // Buprenorphine is an opioid but CDC 2022 excludes it from MME totals (treatment of OUD).
  d('buprenorphine', '1819', OPIOID, { synonyms: ['suboxone', 'subutex'] }),
  d('naloxone', '7242', ['opioid-antagonist'], { synonyms: ['narcan'] }),

  // Benzodiazepines, gabapentinoids.
  d('alprazolam', '596', BENZO, { synonyms: ['xanax'] }),
  d('lorazepam', '6470', BENZO, { synonyms: ['ativan'] }),
  d('diazepam', '3322', BENZO, { synonyms: ['valium'] }),
  d('clonazepam', '2598', BENZO, { synonyms: ['klonopin'] }),
  d('temazepam', '10355', BENZO),
  d('chlordiazepoxide', '2356', BENZO),
  d('midazolam', '6960', BENZO),
  d('gabapentin', '25480', ['gabapentinoid'], { synonyms: ['neurontin'] }),
  d('pregabalin', '187832', ['gabapentinoid'], { synonyms: ['lyrica'] }),

  // Beta-lactams (allergy cross-reactivity), other antibiotics.
  d('amoxicillin', '723', PEN, { synonyms: ['augmentin', 'amoxil'] }),
  d('ampicillin', '733', PEN),
  d('penicillin v', '7984', PEN, { synonyms: ['penicillin v potassium'] }),
  d('penicillin g', '7980', PEN, { synonyms: ['benzathine penicillin', 'penicillin g benzathine'] }),
  d('piperacillin', '8339', PEN, { synonyms: ['zosyn'] }),
  d('nafcillin', '7233', PEN),
  d('dicloxacillin', '3356', PEN),
  d('cephalexin', '2231', CEPH, { synonyms: ['keflex'] }),
  d('cefazolin', '2180', CEPH),
  d('ceftriaxone', '2193', CEPH),
  d('cefuroxime', '2194', CEPH),
  d('cefdinir', '25037', CEPH),
  d('cefepime', '20481', CEPH),
  d('meropenem', '29561', ['carbapenem', 'beta-lactam']),
  d('imipenem', '5690', ['carbapenem', 'beta-lactam']),
  d('ertapenem', '325642', ['carbapenem', 'beta-lactam']),
  d('sulfamethoxazole', '10180', ['sulfonamide-antibiotic', 'warfarin-potentiator'], {
    synonyms: ['bactrim', 'septra', 'tmp-smx', 'co-trimoxazole'],
  }),
  d('trimethoprim', '10831', ['folate-antagonist-antibiotic']),
  d('ciprofloxacin', '2551', ['fluoroquinolone', 'qt-known-risk'], { synonyms: ['cipro'] }),
  d('levofloxacin', '82122', ['fluoroquinolone', 'qt-known-risk'], { synonyms: ['levaquin'] }),
  d('moxifloxacin', '139462', ['fluoroquinolone', 'qt-known-risk']),
  d('azithromycin', '18631', ['macrolide', 'qt-known-risk'], { synonyms: ['zithromax'] }),
  d('clarithromycin', '21212', ['macrolide', 'strong-cyp3a4-inhibitor', 'qt-known-risk'], {
    synonyms: ['biaxin'],
  }),
  d('erythromycin', '4053', ['macrolide', 'strong-cyp3a4-inhibitor', 'qt-known-risk']),
  d('nitrofurantoin', '7454', ['nitrofurantoin'], { synonyms: ['macrobid', 'macrodantin'] }),
  d('metronidazole', '6922', ['warfarin-potentiator'], { synonyms: ['flagyl'] }),
  d('fluconazole', '4450', ['azole-antifungal', 'warfarin-potentiator', 'qt-known-risk'], {
    synonyms: ['diflucan'],
  }),
  d('itraconazole', '28031', ['azole-antifungal', 'strong-cyp3a4-inhibitor']),
  d('ketoconazole', '6135', ['azole-antifungal', 'strong-cyp3a4-inhibitor']),
  d('voriconazole', '121243', ['azole-antifungal', 'strong-cyp3a4-inhibitor', 'warfarin-potentiator']),
  d('posaconazole', '282446', ['azole-antifungal', 'strong-cyp3a4-inhibitor']),
  d('rifampin', '9384', ['strong-cyp3a4-pgp-inducer'], { synonyms: ['rifampicin'] }),

  // Cardiac, psychiatric, other interacting drugs.
  d('amiodarone', '703', ['antiarrhythmic', 'warfarin-potentiator', 'qt-known-risk'], {
    synonyms: ['cordarone', 'pacerone'],
  }),
  d('digoxin', '3407', ['cardiac-glycoside'], { synonyms: ['lanoxin'] }),
  d('lithium', '6448', ['lithium'], { synonyms: ['lithium carbonate'] }),
  d('carbamazepine', '2002', ['antiepileptic', 'strong-cyp3a4-pgp-inducer', 'teratogen']),
  d('phenytoin', '8183', ['antiepileptic', 'strong-cyp3a4-pgp-inducer']),
  d('valproic acid', '11118', ['antiepileptic', 'teratogen'], {
    synonyms: ['valproate', 'divalproex', 'depakote'],
  }),
  d('isotretinoin', '6064', ['retinoid', 'teratogen'], { synonyms: ['accutane', 'absorica'] }),
  d('methotrexate', '6851', ['antimetabolite', 'teratogen']),
  d('omeprazole', '7646', ['ppi', 'cyp2c19-inhibiting-ppi'], { synonyms: ['prilosec'] }),
  d('esomeprazole', '283742', ['ppi', 'cyp2c19-inhibiting-ppi'], { synonyms: ['nexium'] }),
  d('pantoprazole', '40790', ['ppi'], { synonyms: ['protonix'] }),
  d('sildenafil', '136411', ['pde5-inhibitor'], { synonyms: ['viagra', 'revatio'] }),
  d('tadalafil', '358263', ['pde5-inhibitor'], { synonyms: ['cialis'] }),
  d('nitroglycerin', '4917', ['nitrate']),
  d('isosorbide mononitrate', '6058', ['nitrate']),
  d('isosorbide dinitrate', '6057', ['nitrate']),
  d('colchicine', '2683', ['colchicine']),
  d('citalopram', '2556', ['ssri', 'qt-known-risk'], { synonyms: ['celexa'] }),
  d('escitalopram', '321988', ['ssri', 'qt-known-risk'], { synonyms: ['lexapro'] }),
  d('ondansetron', '26225', ['antiemetic', 'qt-known-risk'], { synonyms: ['zofran'] }),
  d('haloperidol', '5093', ['antipsychotic', 'qt-known-risk']),
  // Record evidence of a problem (issue 14). No RxNorm ingredient codes are given here: the
  // entries match by name in the clinical drug's published display (terminology layer) or text.
  d('levothyroxine', undefined, ['thyroid-hormone'], { synonyms: ['synthroid', 'levoxyl', 'l-thyroxine'] }),
  d('liothyronine', undefined, ['thyroid-hormone'], { synonyms: ['cytomel'] }),
  d('allopurinol', undefined, ['xanthine-oxidase-inhibitor'], { synonyms: ['zyloprim'] }),
  d('febuxostat', undefined, ['xanthine-oxidase-inhibitor'], { synonyms: ['uloric'] }),
  d('alendronate', undefined, ['bisphosphonate'], { synonyms: ['alendronic acid', 'fosamax'] }),
  d('risedronate', undefined, ['bisphosphonate'], { synonyms: ['actonel'] }),
  d('ibandronate', undefined, ['bisphosphonate'], { synonyms: ['boniva'] }),
  d('zoledronic acid', undefined, ['bisphosphonate'], { synonyms: ['reclast'] }),
  d('fluticasone', undefined, ['inhaled-corticosteroid'], { synonyms: ['flovent'] }),
  d('budesonide', undefined, ['inhaled-corticosteroid']),
  d('beclomethasone', undefined, ['inhaled-corticosteroid']),
  d('mometasone', undefined, ['inhaled-corticosteroid']),
  d('salmeterol', undefined, ['laba']),
  d('formoterol', undefined, ['laba']),
  d('vilanterol', undefined, ['laba']),
  d('tiotropium', undefined, ['lama'], { synonyms: ['spiriva'] }),
  d('umeclidinium', undefined, ['lama']),
  d('glycopyrrolate', undefined, ['lama']),
  d('ipratropium', undefined, ['lama']),
  d('albuterol', undefined, ['saba'], { synonyms: ['salbutamol', 'proair', 'ventolin'] }),
  d('levalbuterol', undefined, ['saba']),
  d('ferrous sulfate', undefined, ['iron-supplement']),
  d('ferrous gluconate', undefined, ['iron-supplement']),
  d('ferrous fumarate', undefined, ['iron-supplement']),
  d('iron sucrose', undefined, ['iron-supplement']),
  d('cyanocobalamin', undefined, ['vitamin-b12'], { synonyms: ['vitamin b 12', 'vitamin b12'] }),
  d('sertraline', undefined, ['ssri', 'antidepressant'], { synonyms: ['zoloft'] }),
  d('fluoxetine', undefined, ['ssri', 'antidepressant'], { synonyms: ['prozac'] }),
  d('paroxetine', undefined, ['ssri', 'antidepressant'], { synonyms: ['paxil'] }),
  d('bupropion', undefined, ['antidepressant'], { synonyms: ['wellbutrin'] }),
  d('venlafaxine', undefined, ['antidepressant']),
  d('duloxetine', undefined, ['antidepressant']),
  d('mirtazapine', undefined, ['antidepressant']),
];

/** The validated drug table, in a fixed order (longest names first so "insulin glargine" wins over "insulin"). */
export const DRUGS: readonly DrugEntry[] = Object.freeze(
  z
    .array(drugEntrySchema)
    .parse(RAW)
    .slice()
    .sort((a, b) => b.ingredient.length - a.ingredient.length || a.ingredient.localeCompare(b.ingredient)),
);
