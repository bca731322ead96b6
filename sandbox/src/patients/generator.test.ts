import type { Condition, MedicationRequest, Observation, Patient, Resource } from '@medplum/fhirtypes';
import { generatePatients, PATIENT_SCENARIOS } from './generator';
import { COVERAGE_TAGS } from './scenarios';

const OPTIONS = { seed: 42, referenceDate: '2025-06-01' };
const generated = generatePatients(OPTIONS);
const byId = new Map(generated.patients.map((p) => [p.id, p.bundle]));

function resources(id: string): Resource[] {
  const bundle = byId.get(id);
  if (!bundle) throw new Error(`no bundle ${id}`);
  return (bundle.entry ?? []).map((e) => e.resource as Resource);
}
const conditions = (id: string) =>
  resources(id).filter((r): r is Condition => r.resourceType === 'Condition');
const meds = (id: string) =>
  resources(id).filter((r): r is MedicationRequest => r.resourceType === 'MedicationRequest');
const hasCondition = (id: string, snomed: string) =>
  conditions(id).some((c) => c.code?.coding?.some((x) => x.code === snomed));
function values(id: string, loinc: string): { value: number; at: number }[] {
  return resources(id)
    .filter(
      (r): r is Observation =>
        r.resourceType === 'Observation' && !!r.code?.coding?.some((c) => c.code === loinc),
    )
    .map((o) => ({ value: o.valueQuantity?.value ?? NaN, at: Date.parse(o.effectiveDateTime ?? '') }))
    .sort((a, b) => a.at - b.at);
}
const DAY = 86_400_000;

describe('synthetic patient generator', () => {
  it('is deterministic: the same seed and date give identical bundles, another seed differs', () => {
    expect(JSON.stringify(generatePatients(OPTIONS))).toBe(JSON.stringify(generated));
    expect(JSON.stringify(generatePatients({ ...OPTIONS, seed: 43 }))).not.toBe(JSON.stringify(generated));
  });

  it('produces at least 40 patients with stable unique ids and generated names', () => {
    expect(generated.patients.length).toBeGreaterThanOrEqual(40);
    const ids = generated.patients.map((p) => p.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of ids) expect(id).toMatch(/^rat-\d{3}$/);
    const names = PATIENT_SCENARIOS.map((s) => s.name);
    expect(new Set(names).size).toBe(names.length);
    expect(PATIENT_SCENARIOS.map((s) => s.id)).toEqual(ids);
  });

  it('emits valid-looking transaction bundles whose references all resolve inside the bundle', () => {
    const reference = Date.parse('2025-06-01T00:00:00Z');
    for (const { id, bundle } of [...generated.patients, { id: 'care-team', bundle: generated.careTeam }]) {
      expect(bundle.resourceType).toBe('Bundle');
      expect(bundle.type).toBe('transaction');
      const keys = new Set<string>();
      for (const entry of bundle.entry ?? []) {
        const r = entry.resource as Resource;
        expect(typeof r.resourceType).toBe('string');
        expect(r.id).toMatch(/^[A-Za-z0-9\-.]{1,64}$/);
        expect(entry.fullUrl).toMatch(
          /^urn:uuid:[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
        );
        expect(entry.request).toEqual({ method: 'PUT', url: `${r.resourceType}/${r.id}` });
        keys.add(`${r.resourceType}/${r.id}`);
      }
      const refs: string[] = [];
      const visit = (v: unknown): void => {
        if (Array.isArray(v)) v.forEach(visit);
        else if (v && typeof v === 'object')
          for (const [k, x] of Object.entries(v)) {
            if (k === 'reference' && typeof x === 'string') refs.push(x);
            else visit(x);
          }
      };
      visit(bundle);
      for (const ref of refs)
        expect({ id, ref, resolves: keys.has(ref) }).toEqual({ id, ref, resolves: true });
      if (id === 'care-team') continue;
      const patient = (bundle.entry ?? []).find((e) => e.resource?.resourceType === 'Patient')
        ?.resource as Patient;
      expect(patient.id).toBe(id);
      for (const r of (bundle.entry ?? []).map((e) => e.resource)) {
        const when =
          (r as Observation).effectiveDateTime ??
          (r as MedicationRequest).authoredOn ??
          (r as Condition).onsetDateTime;
        if (when) expect(Date.parse(when)).toBeLessThan(reference);
      }
    }
  });

  it('uses LOINC with UCUM units, SNOMED CT with ICD-10-CM, and RxNorm', () => {
    for (const { bundle } of generated.patients) {
      for (const r of bundle.entry?.map((e) => e.resource) ?? []) {
        if (r?.resourceType === 'Observation' && r.valueQuantity) {
          expect(r.code.coding?.[0]?.system).toBe('http://loinc.org');
          expect(r.valueQuantity.system).toBe('http://unitsofmeasure.org');
        }
        if (r?.resourceType === 'Condition')
          expect(r.code?.coding?.[0]?.system).toBe('http://snomed.info/sct');
        if (r?.resourceType === 'MedicationRequest')
          expect(r.medicationCodeableConcept?.coding?.[0]?.system).toBe(
            'http://www.nlm.nih.gov/research/umls/rxnorm',
          );
      }
    }
  });

  it('covers every model feature in the coverage table', () => {
    const covered = new Set(PATIENT_SCENARIOS.flatMap((s) => s.coverage));
    expect(COVERAGE_TAGS.filter((t) => !covered.has(t))).toEqual([]);
    expect(PATIENT_SCENARIOS.filter((s) => s.draftOrder).length).toBeGreaterThanOrEqual(8);
    for (const s of PATIENT_SCENARIOS) expect(s.coverage.includes('draft-order')).toBe(!!s.draftOrder);
  });
});

describe('scenario data', () => {
  it('rat-001: A1c 7.1 then 6.8, no diabetes recorded', () => {
    expect(values('rat-001', '4548-4').map((v) => v.value)).toEqual([7.1, 6.8]);
    expect(hasCondition('rat-001', '44054006')).toBe(false);
  });

  it('rat-002: eGFR 52 then 49 at least 90 days apart, no CKD recorded', () => {
    const egfr = values('rat-002', '98979-8');
    expect(egfr.map((v) => v.value)).toEqual([52, 49]);
    expect((egfr[1]!.at - egfr[0]!.at) / DAY).toBeGreaterThanOrEqual(90);
    expect(conditions('rat-002').some((c) => c.code?.coding?.some((x) => x.code?.startsWith('N18')))).toBe(
      false,
    );
  });

  it('rat-003: BP 150/95 twice, no hypertension recorded, no treatment', () => {
    const bps = resources('rat-003').filter(
      (r): r is Observation => r.resourceType === 'Observation' && r.code.coding?.[0]?.code === '85354-9',
    );
    expect(bps.map((o) => o.component?.map((c) => c.valueQuantity?.value))).toEqual([
      [150, 95],
      [151, 95],
    ]);
    expect(hasCondition('rat-003', '38341003')).toBe(false);
    expect(meds('rat-003')).toEqual([]);
  });

  it.each([
    ['rat-004', '18262-6', 205],
    ['rat-006', '10230-1', 30],
    ['rat-007', '3016-3', 9.5],
    ['rat-008', '2276-4', 8],
    ['rat-008', '718-7', 10.1],
    ['rat-008', '787-2', 72],
    ['rat-009', '2823-3', 5.9],
    ['rat-010', '2951-2', 128],
    ['rat-013', '39156-5', 41.2],
    ['rat-017', '14959-1', 380],
    ['rat-021', '98979-8', 25],
  ])('%s has LOINC %s = %s', (id, loinc, value) => {
    expect(values(id, loinc).map((v) => v.value)).toContain(value);
  });

  it('rat-011: creatinine 1.0 then 1.6 within 36 hours', () => {
    const cr = values('rat-011', '2160-0').filter((v) => v.at > Date.parse('2025-05-01'));
    expect(cr.map((v) => v.value)).toEqual([1.0, 1.6]);
    expect((cr[1]!.at - cr[0]!.at) / 3_600_000).toBe(36);
  });

  it('rat-012: FIB-4 from age, AST, ALT and platelets is above 2.67', () => {
    const age = PATIENT_SCENARIOS.find((s) => s.id === 'rat-012')!.age;
    const [ast] = values('rat-012', '1920-8');
    const [alt] = values('rat-012', '1742-6');
    const [plt] = values('rat-012', '777-3');
    const fib4 = (age * ast!.value) / (plt!.value * Math.sqrt(alt!.value));
    expect(fib4).toBeGreaterThan(2.67);
  });

  it('rat-005: atrial fibrillation only on an ECG observation, not the problem list', () => {
    const ecg = resources('rat-005').find(
      (r): r is Observation => r.resourceType === 'Observation' && r.code.coding?.[0]?.code === '8601-7',
    );
    expect(ecg?.valueCodeableConcept?.coding?.[0]?.code).toBe('49436004');
    expect(hasCondition('rat-005', '49436004')).toBe(false);
  });

  it('rat-015: AF, hypertension, female, 76 (CHA2DS2-VASc 4) on aspirin and no anticoagulant', () => {
    expect(hasCondition('rat-015', '49436004') && hasCondition('rat-015', '38341003')).toBe(true);
    const ingredients = meds('rat-015').map((m) => m.medicationCodeableConcept?.coding?.[0]?.display);
    expect(ingredients).toContain('aspirin');
    expect(
      ingredients.some((i) =>
        ['warfarin', 'apixaban', 'rivaroxaban', 'dabigatran', 'edoxaban'].includes(i ?? ''),
      ),
    ).toBe(false);
  });

  it('rat-018: oxycodone of at least 90 MME/day with a benzodiazepine and no naloxone', () => {
    const oxy = meds('rat-018').find((m) => m.medicationCodeableConcept?.coding?.[0]?.code === '7804');
    const dose = oxy?.dosageInstruction?.[0];
    const mme =
      (dose?.doseAndRate?.[0]?.doseQuantity?.value ?? 0) * (dose?.timing?.repeat?.frequency ?? 0) * 1.5;
    expect(mme).toBeGreaterThanOrEqual(90);
    const codes = meds('rat-018').map((m) => m.medicationCodeableConcept?.coding?.[0]?.code);
    expect(codes).toContain('596');
    expect(codes).not.toContain('7242');
  });

  it('rat-016: HFrEF without MRA, SGLT2 inhibitor or ARNI', () => {
    expect(hasCondition('rat-016', '703272007')).toBe(true);
    const codes = meds('rat-016').map((m) => m.medicationCodeableConcept?.coding?.[0]?.code);
    for (const missing of ['9997', '1545653', '1488564']) expect(codes).not.toContain(missing);
  });

  it('pregnancy and allergy scenarios carry the records their safety checks need', () => {
    expect(hasCondition('rat-023', '77386006')).toBe(true);
    const allergies = (id: string) => resources(id).filter((r) => r.resourceType === 'AllergyIntolerance');
    expect(JSON.stringify(allergies('rat-022'))).toContain('764146007');
    expect(JSON.stringify(allergies('rat-025'))).toContain('Sulfonamide');
    expect(meds('rat-024').map((m) => m.medicationCodeableConcept?.coding?.[0]?.code)).toContain('21212');
    expect(meds('rat-020').map((m) => m.medicationCodeableConcept?.coding?.[0]?.code)).toContain('11289');
  });

  it('healthy negatives have no conditions and no medications', () => {
    for (const s of PATIENT_SCENARIOS.filter((x) => x.coverage.includes('healthy'))) {
      expect(conditions(s.id)).toEqual([]);
      expect(meds(s.id)).toEqual([]);
    }
  });
});
