import type { Citation } from '@rationale/shared-types';

const dailyMed = (ingredient: string): string =>
  `https://dailymed.nlm.nih.gov/dailymed/search.cfm?labeltype=all&query=${encodeURIComponent(ingredient)}`;

/**
 * Label citations point at the DailyMed search for the ingredient, where the current FDA
 * prescribing information (contraindications, boxed warnings, dosing) is published; no
 * set id is quoted, so none can be wrong.
 */
function label(id: string, ingredient: string, title: string): Citation {
  return {
    id,
    kind: 'label',
    title,
    authors: 'US Food and Drug Administration (DailyMed)',
    year: 2024,
    url: dailyMed(ingredient),
  };
}

/**
 * Citations for treatment guidelines, drug facts and order-safety rules. DOIs are given only
 * where the DOI is the publisher's known identifier for the document; otherwise the guideline is
 * cited by title and URL (DESIGN.md §4).
 */
export const TREATMENT_CITATIONS: Citation[] = [
  {
    id: 'acc-aha-2018-cholesterol',
    kind: 'guideline',
    title:
      '2018 AHA/ACC/AACVPR/AAPA/ABC/ACPM/ADA/AGS/APhA/ASPC/NLA/PCNA Guideline on the Management of Blood Cholesterol',
    authors: 'Grundy SM, Stone NJ, et al. (AHA/ACC)',
    journal: 'Circulation 2019;139:e1082-e1143',
    year: 2018,
    doi: '10.1161/CIR.0000000000000625',
    url: 'https://www.ahajournals.org/doi/10.1161/CIR.0000000000000625',
  },
  {
    id: 'acc-aha-2023-af',
    kind: 'guideline',
    title: '2023 ACC/AHA/ACCP/HRS Guideline for the Diagnosis and Management of Atrial Fibrillation',
    authors: 'Joglar JA, Chung MK, et al. (ACC/AHA/ACCP/HRS)',
    journal: 'Circulation 2024;149:e1-e156',
    year: 2023,
    doi: '10.1161/CIR.0000000000001193',
    url: 'https://www.ahajournals.org/doi/10.1161/CIR.0000000000001193',
  },
  {
    id: 'kdigo-2024-ckd-treatment',
    kind: 'guideline',
    title:
      'KDIGO 2024 Clinical Practice Guideline for the Evaluation and Management of Chronic Kidney Disease',
    authors: 'Kidney Disease: Improving Global Outcomes (KDIGO) CKD Work Group',
    journal: 'Kidney Int 2024;105(4S):S117-S314',
    year: 2024,
    doi: '10.1016/j.kint.2023.10.018',
    url: 'https://kdigo.org/guidelines/ckd-evaluation-and-management/',
  },
  {
    id: 'ada-soc-2025-older-adults',
    kind: 'guideline',
    title: '13. Older Adults: Standards of Care in Diabetes-2025',
    authors: 'American Diabetes Association Professional Practice Committee',
    journal: 'Diabetes Care 2025;48(Suppl 1)',
    year: 2025,
    doi: '10.2337/dc25-S013',
  },
  {
    id: 'ada-soc-2025-glycemic-goals',
    kind: 'guideline',
    title: '6. Glycemic Goals and Hypoglycemia: Standards of Care in Diabetes-2025',
    authors: 'American Diabetes Association Professional Practice Committee',
    journal: 'Diabetes Care 2025;48(Suppl 1)',
    year: 2025,
    doi: '10.2337/dc25-S006',
  },
  {
    id: 'ada-soc-2025-pharmacologic',
    kind: 'guideline',
    title: '9. Pharmacologic Approaches to Glycemic Treatment: Standards of Care in Diabetes-2025',
    authors: 'American Diabetes Association Professional Practice Committee',
    journal: 'Diabetes Care 2025;48(Suppl 1)',
    year: 2025,
    doi: '10.2337/dc25-S009',
  },
  {
    id: 'ada-soc-2025-cvd',
    kind: 'guideline',
    title: '10. Cardiovascular Disease and Risk Management: Standards of Care in Diabetes-2025',
    authors: 'American Diabetes Association Professional Practice Committee',
    journal: 'Diabetes Care 2025;48(Suppl 1)',
    year: 2025,
    doi: '10.2337/dc25-S010',
  },
  {
    id: 'ada-soc-2025-ckd',
    kind: 'guideline',
    title: '11. Chronic Kidney Disease and Risk Management: Standards of Care in Diabetes-2025',
    authors: 'American Diabetes Association Professional Practice Committee',
    journal: 'Diabetes Care 2025;48(Suppl 1)',
    year: 2025,
    doi: '10.2337/dc25-S011',
  },
  {
    id: 'aha-acc-hfsa-2022-hf',
    kind: 'guideline',
    title: '2022 AHA/ACC/HFSA Guideline for the Management of Heart Failure',
    authors: 'Heidenreich PA, Bozkurt B, et al. (AHA/ACC/HFSA)',
    journal: 'Circulation 2022;145:e895-e1032',
    year: 2022,
    doi: '10.1161/CIR.0000000000001063',
    url: 'https://www.ahajournals.org/doi/10.1161/CIR.0000000000001063',
  },
  {
    id: 'aha-acc-2025-htn',
    kind: 'guideline',
    title:
      '2025 AHA/ACC/AANP/AAPA/ABC/ACCP/ACPM/AGS/AMA/ASPC/NMA/PCNA/SGIM Guideline for the Prevention, Detection, Evaluation and Management of High Blood Pressure in Adults',
    authors: 'Jones DW, Ferdinand KC, Taler SJ, et al. (AHA/ACC)',
    // Co-published in Hypertension (doi 10.1161/HYP.0000000000000249) and JACC; Circulation's is cited.
    journal: 'Circulation 2025;152(11):e114-e218',
    year: 2025,
    doi: '10.1161/CIR.0000000000001356',
    url: 'https://www.ahajournals.org/doi/10.1161/CIR.0000000000001356',
  },
  {
    id: 'cdc-2022-opioids',
    kind: 'guideline',
    title: 'CDC Clinical Practice Guideline for Prescribing Opioids for Pain - United States, 2022',
    authors: 'Dowell D, Ragan KR, Jones CM, Baldwin GT, Chou R',
    journal: 'MMWR Recomm Rep 2022;71(No. RR-3):1-95',
    year: 2022,
    doi: '10.15585/mmwr.rr7103a1',
    url: 'https://www.cdc.gov/mmwr/volumes/71/rr/rr7103a1.htm',
  },
  {
    id: 'fda-2016-opioid-benzodiazepine',
    kind: 'regulation',
    title:
      'FDA Drug Safety Communication (2016): FDA warns about serious risks and death when combining opioid pain or cough medicines with benzodiazepines; requires its strongest warning',
    authors: 'US Food and Drug Administration',
    year: 2016,
    url: 'https://www.fda.gov/drugs/drug-safety-and-availability/fda-drug-safety-communication-fda-warns-about-serious-risks-and-death-when-combining-opioid-pain-or',
  },
  {
    id: 'fda-2016-metformin-renal',
    kind: 'regulation',
    title:
      'FDA Drug Safety Communication (2016): FDA revises warnings regarding use of the diabetes medicine metformin in certain patients with reduced kidney function',
    authors: 'US Food and Drug Administration',
    year: 2016,
    url: 'https://www.fda.gov/drugs/drug-safety-and-availability/fda-drug-safety-communication-fda-revises-warnings-regarding-use-diabetes-medicine-metformin-certain',
  },
  {
    id: 'aaaai-acaai-2022-drug-allergy',
    kind: 'guideline',
    title:
      'Drug allergy: A 2022 practice parameter update (AAAAI/ACAAI Joint Task Force on Practice Parameters)',
    authors: 'Khan DA, Banerji A, Blumenthal KG, et al.',
    journal: 'J Allergy Clin Immunol 2022;150(6):1333-1393',
    year: 2022,
    doi: '10.1016/j.jaci.2022.08.028',
  },
  {
    id: 'ags-2023-beers',
    kind: 'guideline',
    title:
      'American Geriatrics Society 2023 updated AGS Beers Criteria for potentially inappropriate medication use in older adults',
    authors: 'American Geriatrics Society Beers Criteria Update Expert Panel',
    journal: 'J Am Geriatr Soc 2023;71(7):2052-2081',
    year: 2023,
    doi: '10.1111/jgs.18372',
  },
  {
    id: 'crediblemeds-qtdrugs',
    kind: 'standard',
    title: 'QTdrugs List: drugs with a known risk of torsades de pointes',
    authors: 'Woosley RL, Heise CW, Romero KA (AZCERT)',
    year: 2024,
    url: 'https://crediblemeds.org/druglist',
  },
  label(
    'fda-label-apixaban',
    'apixaban',
    'Apixaban (Eliquis) prescribing information: dosage in nonvalvular AF, drug interactions',
  ),
  label(
    'fda-label-rivaroxaban',
    'rivaroxaban',
    'Rivaroxaban (Xarelto) prescribing information: renal dosing in AF, P-gp/CYP3A4 interactions',
  ),
  label(
    'fda-label-dabigatran',
    'dabigatran',
    'Dabigatran etexilate (Pradaxa) prescribing information: renal dosing, mechanical valves, P-gp inducers',
  ),
  label(
    'fda-label-edoxaban',
    'edoxaban',
    'Edoxaban (Savaysa) prescribing information: renal dosing and reduced efficacy at high CrCl',
  ),
  label(
    'fda-label-warfarin',
    'warfarin',
    'Warfarin sodium prescribing information: bleeding risk, drug interactions, pregnancy',
  ),
  label(
    'fda-label-simvastatin',
    'simvastatin',
    'Simvastatin prescribing information: contraindication with strong CYP3A4 inhibitors, dose limits',
  ),
  label(
    'fda-label-lovastatin',
    'lovastatin',
    'Lovastatin prescribing information: contraindication with strong CYP3A4 inhibitors',
  ),
  label(
    'fda-label-clopidogrel',
    'clopidogrel',
    'Clopidogrel (Plavix) prescribing information: avoid omeprazole and esomeprazole',
  ),
  label(
    'fda-label-sildenafil',
    'sildenafil',
    'Sildenafil prescribing information: contraindicated with nitrates',
  ),
  label(
    'fda-label-colchicine',
    'colchicine',
    'Colchicine prescribing information: P-gp and strong CYP3A4 inhibitors in renal or hepatic impairment',
  ),
  label(
    'fda-label-methotrexate',
    'methotrexate',
    'Methotrexate prescribing information: trimethoprim/sulfamethoxazole interaction, embryo-fetal toxicity',
  ),
  label(
    'fda-label-lithium',
    'lithium',
    'Lithium prescribing information: NSAID, ACE inhibitor/ARB and diuretic interactions',
  ),
  label(
    'fda-label-amiodarone',
    'amiodarone',
    'Amiodarone prescribing information: warfarin and digoxin interactions',
  ),
  label(
    'fda-label-spironolactone',
    'spironolactone',
    'Spironolactone prescribing information: hyperkalemia, contraindications',
  ),
  label(
    'fda-label-sacubitril-valsartan',
    'sacubitril valsartan',
    'Sacubitril/valsartan (Entresto) prescribing information: ACE inhibitor and angioedema contraindications',
  ),
  label(
    'fda-label-lisinopril',
    'lisinopril',
    'Lisinopril prescribing information: fetal toxicity boxed warning, angioedema, dosing',
  ),
  label(
    'fda-label-gabapentin',
    'gabapentin',
    'Gabapentin prescribing information: dosage adjustment by creatinine clearance',
  ),
  label(
    'fda-label-linagliptin',
    'linagliptin',
    'Linagliptin (Tradjenta) prescribing information: no dose adjustment for renal impairment',
  ),
  label(
    'fda-label-pioglitazone',
    'pioglitazone',
    'Pioglitazone prescribing information: boxed warning for congestive heart failure',
  ),
  label(
    'fda-label-isotretinoin',
    'isotretinoin',
    'Isotretinoin prescribing information: contraindicated in pregnancy (boxed warning)',
  ),
  label('fda-label-valproate', 'valproate', 'Valproate prescribing information: fetal risk boxed warning'),
  label(
    'fda-label-atorvastatin',
    'atorvastatin',
    'Atorvastatin prescribing information: dosage range, pregnancy and lactation',
  ),
  label(
    'fda-label-propranolol',
    'propranolol',
    'Propranolol prescribing information: contraindicated in bronchial asthma',
  ),
  label(
    'fda-label-carvedilol',
    'carvedilol',
    'Carvedilol prescribing information: contraindicated in bronchial asthma; HF titration',
  ),
  label(
    'fda-label-metoprolol',
    'metoprolol succinate',
    'Metoprolol succinate prescribing information: bronchospastic disease caution',
  ),
  label(
    'fda-label-ibuprofen',
    'ibuprofen',
    'Ibuprofen prescribing information: NSAID boxed warning, avoid with other NSAIDs, heart failure, renal',
  ),
  label(
    'fda-label-acetaminophen',
    'acetaminophen',
    'Acetaminophen labeling: maximum 4,000 mg in 24 hours, hepatotoxicity warning',
  ),
  label(
    'fda-label-citalopram',
    'citalopram',
    'Citalopram prescribing information: QT prolongation, maximum 40 mg/day (20 mg/day over age 60)',
  ),
  label(
    'fda-label-metformin',
    'metformin',
    'Metformin prescribing information: contraindicated with eGFR below 30, maximum daily dose',
  ),
  label(
    'fda-label-empagliflozin',
    'empagliflozin',
    'Empagliflozin (Jardiance) prescribing information: renal thresholds, not for type 1 diabetes',
  ),
  label(
    'fda-label-amiloride',
    'amiloride',
    'Amiloride prescribing information: hyperkalemia boxed warning, potassium supplements',
  ),
  label(
    'fda-label-fluconazole',
    'fluconazole',
    'Fluconazole prescribing information: warfarin and QT-prolonging drug interactions',
  ),
  {
    id: 'ecqm-hospice-palliative-exclusion',
    kind: 'standard',
    title:
      'eCQM hospice and palliative-care exclusions: VSAC value sets Hospice Encounter (2.16.840.1.113883.3.464.1003.1003), Palliative Care Encounter (2.16.840.1.113883.3.464.1003.101.12.1090), Comfort Measures (1.3.6.1.4.1.33895.1.3.0.45)',
    authors: 'CMS; NLM Value Set Authority Center',
    year: 2024,
    // The first of the sets; the others are listed in the title and in terminology/manifest.ts.
    url: 'https://vsac.nlm.nih.gov/valueset/2.16.840.1.113883.3.464.1003.1003/expansion',
  },
  {
    id: 'ecqm-2024-measures-hospice-palliative',
    kind: 'standard',
    title:
      'eCQM 2024 measure logic (QI-Core): Controlling High Blood Pressure, Diabetes Glycemic Status Assessment > 9%, Kidney Health Evaluation, BMI Screening and Follow-Up, Statin Therapy for the Prevention and Treatment of Cardiovascular Disease and Use of High-Risk Medications in Older Adults each exclude patients with hospice services or palliative care (Hospice and PalliativeCare libraries)',
    authors: 'CMS; cqframework',
    year: 2024,
    url: 'https://github.com/cqframework/ecqm-content-qicore-2024/tree/9ebd48ffebf2ed2489f3904cc8393ebf8979bfc9/input/cql',
  },
  {
    id: 'kdigo-2013-lipids',
    kind: 'guideline',
    title: 'KDIGO Clinical Practice Guideline for Lipid Management in Chronic Kidney Disease',
    authors: 'Kidney Disease: Improving Global Outcomes (KDIGO) Lipid Work Group',
    journal: 'Kidney International Supplements 2013;3(3)',
    year: 2013,
    url: 'https://kdigo.org/guidelines/lipids-in-ckd/',
  },
];
