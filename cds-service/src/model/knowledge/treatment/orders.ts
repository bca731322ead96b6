/**
 * Orders the model proposes (recommendations and safer alternatives), coded for a draft FHIR
 * request. Clinical-drug (SCD) codes are used where checked against the eCQM value sets named in
 * knowledge/drugs/table.ts; otherwise the RxNorm ingredient code, with the dose in the instruction.
 * Starting doses for HFrEF drugs follow the 2022 AHA/ACC/HFSA guideline's drug-dosing table.
 */
import type { ProposedOrder } from '@rationale/shared-types';
import { z } from 'zod';
import { namedOrderSchema } from './schema';

const RX = 'http://www.nlm.nih.gov/research/umls/rxnorm';
const LOINC = 'http://loinc.org';

const med = (key: string, code: string, display: string, instruction: string) => ({
  key,
  order: { resourceType: 'MedicationRequest' as const, code: { system: RX, code, display }, instruction },
});
const lab = (key: string, code: string, display: string, instruction: string) => ({
  key,
  order: { resourceType: 'ServiceRequest' as const, code: { system: LOINC, code, display }, instruction },
});

const RAW = [
  med(
    'atorvastatin-20',
    '617310',
    'atorvastatin 20 MG Oral Tablet',
    'atorvastatin 20 mg orally once daily (moderate intensity)',
  ),
  med(
    'atorvastatin-40',
    '617311',
    'atorvastatin 40 MG Oral Tablet',
    'atorvastatin 40 mg orally once daily (high intensity)',
  ),
  med(
    'atorvastatin-80',
    '259255',
    'atorvastatin 80 MG Oral Tablet',
    'atorvastatin 80 mg orally once daily (high intensity)',
  ),
  med(
    'rosuvastatin-20',
    '859751',
    'rosuvastatin calcium 20 MG Oral Tablet',
    'rosuvastatin 20 mg orally once daily (high intensity)',
  ),
  med(
    'pravastatin-40',
    '904475',
    'pravastatin sodium 40 MG Oral Tablet',
    'pravastatin 40 mg orally once daily (not a CYP3A4 substrate)',
  ),
  med(
    'lisinopril-10',
    '314076',
    'lisinopril 10 MG Oral Tablet',
    'lisinopril 10 mg orally once daily; check potassium and creatinine in 1-2 weeks',
  ),
  med(
    'losartan-50',
    '52175',
    'losartan',
    'losartan 50 mg orally once daily; check potassium and creatinine in 1-2 weeks',
  ),
  med(
    'lisinopril-hctz-20-12.5',
    '197886',
    'hydrochlorothiazide 12.5 MG / lisinopril 20 MG Oral Tablet',
    'lisinopril 20 mg / hydrochlorothiazide 12.5 mg single-pill combination once daily',
  ),
  med('amlodipine-5', '17767', 'amlodipine', 'amlodipine 5 mg orally once daily'),
  med('empagliflozin-10', '1545653', 'empagliflozin', 'empagliflozin 10 mg orally once daily'),
  med('dapagliflozin-10', '1488564', 'dapagliflozin', 'dapagliflozin 10 mg orally once daily'),
  med(
    'semaglutide-weekly',
    '1991302',
    'semaglutide',
    'semaglutide 0.25 mg subcutaneously once weekly, titrated per label',
  ),
  med(
    'metformin-500',
    '6809',
    'metformin',
    'metformin 500 mg orally once or twice daily with meals, titrate as tolerated',
  ),
  med('apixaban-5', '1364445', 'apixaban 5 MG Oral Tablet', 'apixaban 5 mg orally twice daily'),
  med(
    'apixaban-2.5',
    '1364435',
    'apixaban 2.5 MG Oral Tablet',
    'apixaban 2.5 mg orally twice daily (label dose-reduction criteria met)',
  ),
  med(
    'rivaroxaban-15',
    '1232082',
    'rivaroxaban 15 MG Oral Tablet',
    'rivaroxaban 15 mg orally once daily with the evening meal (CrCl 50 mL/min or less)',
  ),
  med(
    'rivaroxaban-20',
    '1232086',
    'rivaroxaban 20 MG Oral Tablet',
    'rivaroxaban 20 mg orally once daily with the evening meal',
  ),
  med(
    'warfarin-5',
    '855332',
    'warfarin sodium 5 MG Oral Tablet',
    'warfarin, dose adjusted to the INR target for the indication',
  ),
  med(
    'sacubitril-valsartan-24-26',
    '1656340',
    'sacubitril 24 MG / valsartan 26 MG Oral Tablet',
    'sacubitril/valsartan 24/26 mg orally twice daily; not within 36 hours of an ACE inhibitor',
  ),
  med(
    'carvedilol-3.125',
    '20352',
    'carvedilol',
    'carvedilol 3.125 mg orally twice daily, titrate every 2 weeks as tolerated',
  ),
  med(
    'metoprolol-succinate-25',
    '6918',
    'metoprolol succinate',
    'metoprolol succinate extended-release 12.5-25 mg orally once daily, titrate as tolerated',
  ),
  med('bisoprolol-1.25', '19484', 'bisoprolol', 'bisoprolol 1.25 mg orally once daily, titrate as tolerated'),
  med(
    'spironolactone-25',
    '9997',
    'spironolactone',
    'spironolactone 12.5-25 mg orally once daily; potassium and creatinine at 1 week and 4 weeks',
  ),
  med(
    'naloxone-nasal-4',
    '7242',
    'naloxone',
    'naloxone 4 mg nasal spray, 1 spray in one nostril for suspected opioid overdose; may repeat',
  ),
  med(
    'acetaminophen',
    '161',
    'acetaminophen',
    'acetaminophen 500-1000 mg orally every 6 hours as needed; stay within the labeled daily maximum',
  ),
  med(
    'linagliptin-5',
    '1100699',
    'linagliptin',
    'linagliptin 5 mg orally once daily (no renal dose adjustment)',
  ),
  med(
    'azithromycin',
    '18631',
    'azithromycin',
    'azithromycin, dose per indication (not a strong CYP3A4 inhibitor)',
  ),
  med('pantoprazole-40', '40790', 'pantoprazole', 'pantoprazole 40 mg orally once daily'),
  med(
    'labetalol',
    '6185',
    'labetalol',
    'labetalol, dose per indication (antihypertensive compatible with pregnancy)',
  ),
  lab('uacr', '9318-7', 'Albumin/Creatinine [Mass Ratio] in Urine', 'Spot urine albumin-to-creatinine ratio'),
  lab('a1c', '4548-4', 'Hemoglobin A1c/Hemoglobin.total in Blood', 'Hemoglobin A1c'),
];

const ORDERS = z.array(namedOrderSchema).parse(RAW);

/** Proposed orders by key. */
export const PROPOSED_ORDERS: ReadonlyMap<string, ProposedOrder> = new Map(
  ORDERS.map((o) => [o.key, o.order]),
);

/** The proposed order for a key; throws for an unknown key (a knowledge-base bug caught by tests). */
export function proposedOrder(key: string): ProposedOrder {
  const order = PROPOSED_ORDERS.get(key);
  if (!order) throw new Error(`unknown proposed order: ${key}`);
  return order;
}
