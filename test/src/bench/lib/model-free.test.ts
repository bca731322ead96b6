import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { compileBundle, SERVICE_BUNDLE } from '../../../../cds-service/src/bundle';
import { ASSESS_PATIENT, modelFreeRewrite, modelFreeSource } from './model-free';

type AssessPatient = (
  input: { data: { patientId: string; resources: unknown[] }; now: Date; hook?: string },
  pipeline: {
    assess: (record: { patient: { id?: string } }) => object;
    settings: object;
    newId: () => string;
  },
) => Promise<{ assessment: { id: string; patientOf: string } }>;

const patient = (id: string) => ({ resourceType: 'Patient', id, birthDate: '1960-01-01', gender: 'female' });

/** assess-patient.ts compiled (with or without the rewrite) and loaded beside the service's bundle. */
async function loadAssessPatient(rewrite?: typeof modelFreeRewrite): Promise<AssessPatient> {
  const dir = path.dirname(SERVICE_BUNDLE);
  const code = await compileBundle(ASSESS_PATIENT, dir, rewrite);
  expect(code).toBeDefined();
  mkdirSync(dir, { recursive: true }); // a fresh checkout has no dist yet
  const file = path.join(dir, `assess-patient-test-${process.pid}-${rewrite ? 'free' : 'plain'}.cjs`);
  writeFileSync(file, code as string);
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    return (require(file) as { assessPatient: AssessPatient }).assessPatient;
  } finally {
    rmSync(file, { force: true });
  }
}

/** Three calls (patient a, a again, b) through `assessPatient`; how often the model ran. */
async function modelRuns(assessPatient: AssessPatient): Promise<{ runs: number; ids: string[] }> {
  let runs = 0;
  let next = 0;
  const pipeline = {
    assess: (record: { patient: { id?: string } }) => {
      runs++;
      return { patientOf: record.patient.id };
    },
    settings: {},
    newId: () => `id-${++next}`,
  };
  const ids: string[] = [];
  for (const id of ['a', 'a', 'b']) {
    const { assessment } = await assessPatient(
      { data: { patientId: id, resources: [patient(id)] }, now: new Date('2026-01-01T00:00:00Z') },
      pipeline,
    );
    expect(assessment.patientOf).toBe(id);
    ids.push(assessment.id);
  }
  return { runs, ids };
}

describe('the bench’s model-free service (--model-free)', () => {
  afterEach(() => {
    delete (globalThis as { __rationaleModelFree?: unknown }).__rationaleModelFree;
  });

  it('runs the knowledge model once per patient and reuses it, each call still its own Assessment', async () => {
    const free = await modelRuns(await loadAssessPatient(modelFreeRewrite));
    expect(free.runs).toBe(2);
    expect(free.ids).toEqual(['id-1', 'id-2', 'id-3']);
    // The same file compiled as the service is: the model runs on every call.
    const plain = await modelRuns(await loadAssessPatient());
    expect(plain.runs).toBe(3);
  });

  it('names the line it looks for when assessPatient no longer has it', () => {
    const source = readFileSync(ASSESS_PATIENT, 'utf8');
    expect(() => modelFreeSource(source)).not.toThrow();
    expect(() =>
      modelFreeSource(source.replace('pipeline.assess(record, input.now', 'pipeline.assess(record, at')),
    ).toThrow(/const knowledge = pipeline\.assess/);
  });
});
