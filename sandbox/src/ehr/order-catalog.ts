/**
 * The order-entry panel's medication list: RxNorm-coded drugs chosen to exercise the model's
 * order-safety checks (renal dosing, allergies, interactions, pregnancy, duplicate therapy).
 * Codes are RxNorm ingredient (IN) concepts, https://mor.nlm.nih.gov/RxNav/; the strength and form
 * go in `text` and the dosage, as an EHR's order composer fills them.
 */
export interface OrderableMedication {
  /** Stable key for the page. */
  key: string;
  rxnorm: string;
  ingredient: string;
  /** What the prescriber picks, e.g. "Ibuprofen 400 mg oral tablet". */
  text: string;
  /** Free-text sig, e.g. "400 mg by mouth every 8 hours as needed". */
  sig: string;
  doseQuantity?: { value: number; unit: string };
  /** What this order exercises in the model, shown as a hint in the panel. */
  exercises: string;
}

export const ORDER_CATALOG: readonly OrderableMedication[] = [
  {
    key: 'ibuprofen',
    rxnorm: '5640',
    ingredient: 'ibuprofen',
    text: 'Ibuprofen 400 mg oral tablet',
    sig: '400 mg by mouth every 8 hours as needed for pain',
    doseQuantity: { value: 400, unit: 'mg' },
    exercises: 'NSAID: renal function, anticoagulant interaction',
  },
  {
    key: 'naproxen',
    rxnorm: '7258',
    ingredient: 'naproxen',
    text: 'Naproxen 500 mg oral tablet',
    sig: '500 mg by mouth twice daily',
    doseQuantity: { value: 500, unit: 'mg' },
    exercises: 'NSAID: renal function, heart failure',
  },
  {
    key: 'metformin',
    rxnorm: '6809',
    ingredient: 'metformin',
    text: 'Metformin 500 mg oral tablet',
    sig: '500 mg by mouth twice daily with meals',
    doseQuantity: { value: 500, unit: 'mg' },
    exercises: 'renal limit (eGFR)',
  },
  {
    key: 'amoxicillin',
    rxnorm: '723',
    ingredient: 'amoxicillin',
    text: 'Amoxicillin 500 mg oral capsule',
    sig: '500 mg by mouth three times daily for 7 days',
    doseQuantity: { value: 500, unit: 'mg' },
    exercises: 'penicillin allergy',
  },
  {
    key: 'cephalexin',
    rxnorm: '2231',
    ingredient: 'cephalexin',
    text: 'Cephalexin 500 mg oral capsule',
    sig: '500 mg by mouth four times daily for 7 days',
    doseQuantity: { value: 500, unit: 'mg' },
    exercises: 'beta-lactam cross-reactivity',
  },
  {
    key: 'clarithromycin',
    rxnorm: '21212',
    ingredient: 'clarithromycin',
    text: 'Clarithromycin 500 mg oral tablet',
    sig: '500 mg by mouth twice daily for 7 days',
    doseQuantity: { value: 500, unit: 'mg' },
    exercises: 'statin and anticoagulant interactions',
  },
  {
    key: 'nitrofurantoin',
    rxnorm: '7454',
    ingredient: 'nitrofurantoin',
    text: 'Nitrofurantoin 100 mg oral capsule',
    sig: '100 mg by mouth twice daily for 5 days',
    doseQuantity: { value: 100, unit: 'mg' },
    exercises: 'renal limit (eGFR)',
  },
  {
    key: 'warfarin',
    rxnorm: '11289',
    ingredient: 'warfarin',
    text: 'Warfarin 5 mg oral tablet',
    sig: '5 mg by mouth once daily',
    doseQuantity: { value: 5, unit: 'mg' },
    exercises: 'bleeding interactions, pregnancy',
  },
  {
    key: 'apixaban',
    rxnorm: '1364430',
    ingredient: 'apixaban',
    text: 'Apixaban 5 mg oral tablet',
    sig: '5 mg by mouth twice daily',
    doseQuantity: { value: 5, unit: 'mg' },
    exercises: 'duplicate anticoagulation, renal dosing',
  },
  {
    key: 'spironolactone',
    rxnorm: '9997',
    ingredient: 'spironolactone',
    text: 'Spironolactone 25 mg oral tablet',
    sig: '25 mg by mouth once daily',
    doseQuantity: { value: 25, unit: 'mg' },
    exercises: 'hyperkalaemia with ACE inhibitors, renal function',
  },
  {
    key: 'lisinopril',
    rxnorm: '29046',
    ingredient: 'lisinopril',
    text: 'Lisinopril 10 mg oral tablet',
    sig: '10 mg by mouth once daily',
    doseQuantity: { value: 10, unit: 'mg' },
    exercises: 'pregnancy, potassium',
  },
  {
    key: 'atorvastatin',
    rxnorm: '83367',
    ingredient: 'atorvastatin',
    text: 'Atorvastatin 40 mg oral tablet',
    sig: '40 mg by mouth once daily',
    doseQuantity: { value: 40, unit: 'mg' },
    exercises: 'duplicate statin, pregnancy',
  },
  {
    key: 'simvastatin',
    rxnorm: '36567',
    ingredient: 'simvastatin',
    text: 'Simvastatin 40 mg oral tablet',
    sig: '40 mg by mouth once daily in the evening',
    doseQuantity: { value: 40, unit: 'mg' },
    exercises: 'CYP3A4 interactions, duplicate statin',
  },
  {
    key: 'diltiazem',
    rxnorm: '3443',
    ingredient: 'diltiazem',
    text: 'Diltiazem 120 mg extended-release oral capsule',
    sig: '120 mg by mouth once daily',
    doseQuantity: { value: 120, unit: 'mg' },
    exercises: 'non-dihydropyridine calcium-channel blocker in HFrEF',
  },
  {
    key: 'rosuvastatin',
    rxnorm: '301542',
    ingredient: 'rosuvastatin',
    text: 'Rosuvastatin 20 mg oral tablet',
    sig: '20 mg by mouth once daily',
    doseQuantity: { value: 20, unit: 'mg' },
    exercises: 'duplicate statin',
  },
  {
    key: 'sulfamethoxazole',
    rxnorm: '10180',
    ingredient: 'sulfamethoxazole',
    text: 'Sulfamethoxazole 800 mg / trimethoprim 160 mg oral tablet',
    sig: '1 tablet by mouth twice daily for 3 days',
    exercises: 'sulfonamide allergy, potassium, renal function',
  },
  {
    key: 'oxycodone',
    rxnorm: '7804',
    ingredient: 'oxycodone',
    text: 'Oxycodone 10 mg oral tablet',
    sig: '10 mg by mouth every 6 hours as needed for pain',
    doseQuantity: { value: 10, unit: 'mg' },
    exercises: 'opioid MME, benzodiazepine co-prescribing',
  },
  {
    key: 'aspirin',
    rxnorm: '1191',
    ingredient: 'aspirin',
    text: 'Aspirin 81 mg oral tablet',
    sig: '81 mg by mouth once daily',
    doseQuantity: { value: 81, unit: 'mg' },
    exercises: 'bleeding risk with anticoagulants',
  },
];

/**
 * A draft MedicationRequest for the order basket, as order-select and order-sign send it in
 * `draftOrders` (Hook Library STU1).
 */
export function draftMedicationRequest(
  medication: OrderableMedication,
  ids: { id: string; patientId: string; userId: string },
  now: Date,
): Record<string, unknown> {
  return {
    resourceType: 'MedicationRequest',
    id: ids.id,
    status: 'draft',
    intent: 'order',
    subject: { reference: `Patient/${ids.patientId}` },
    requester: { reference: ids.userId },
    authoredOn: now.toISOString(),
    medicationCodeableConcept: {
      coding: [
        {
          system: 'http://www.nlm.nih.gov/research/umls/rxnorm',
          code: medication.rxnorm,
          display: medication.ingredient,
        },
      ],
      text: medication.text,
    },
    dosageInstruction: [
      {
        text: medication.sig,
        ...(medication.doseQuantity
          ? {
              doseAndRate: [
                {
                  doseQuantity: {
                    ...medication.doseQuantity,
                    system: 'http://unitsofmeasure.org',
                    code: medication.doseQuantity.unit,
                  },
                },
              ],
            }
          : {}),
      },
    ],
  };
}
