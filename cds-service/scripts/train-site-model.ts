/**
 * A worked example of a site's own model (issue 16): trains a small logistic regression on the
 * developers' Synthea patients (../shared/data/synthea-r4) for the risk of prediabetes or type 2
 * diabetes, writes it as ONNX (MatMul + Add + Sigmoid), and writes the registry entry the sandbox
 * loads in silent mode, with a training report (AUROC on a held-out split, with a bootstrap
 * interval). The features are computed by the service's own mapping (`featureVector`), so the
 * model is trained on exactly what it will be given.
 *
 *   npm run train:site-model -w @rationale/cds-service [-- --data DIR]
 *
 * Synthetic records only: the numbers say the pipeline works, not that the model is clinically valid.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import * as ort from 'onnxruntime-node';
import { format, resolveConfig } from 'prettier';
import type { Condition, PatientRecord } from '@rationale/shared-types';
import { loadBundles, recordEnd } from '../src/eval/load';
import { groupsOfConcept } from '../src/model/terminology';
import { featureVector } from '../src/site-models/features';
import { logisticRegressionOnnx } from '../src/site-models/onnx-export';
import { featureSchema, type FeatureSpec, type SiteModelSpec } from '../src/site-models/registry';

const { values: args } = parseArgs({
  options: {
    data: { type: 'string' },
    out: { type: 'string' },
    sandbox: { type: 'string' },
  },
});
const DATA = args.data ? resolve(args.data) : resolve(__dirname, '../../../shared/data/synthea-r4');
const OUT = args.out ? resolve(args.out) : resolve(__dirname, '../site-models/dysglycemia-risk');
const SANDBOX_CONFIG = args.sandbox
  ? resolve(args.sandbox)
  : resolve(__dirname, '../../sandbox/cds-config.json');

const MODEL_ID = 'dysglycemia-risk';
const VERSION = '1.0.0';
const DAY_MS = 86_400_000;
/** SNOMED CT 15777000 |Prediabetes|; type 2 diabetes is the terminology layer's t2d group. */
const PREDIABETES = '15777000';
const WINDOW_DAYS = 1095;

/**
 * The model's inputs, in tensor order; `missing` is replaced by the training mean below. No HbA1c:
 * Synthea records it only once diabetes or prediabetes is diagnosed, so before the index date it is
 * never there to learn from.
 */
const FEATURES: FeatureSpec[] = [
  { name: 'age', demographic: 'age-years', missing: 0 },
  { name: 'female', demographic: 'female', missing: 0.5 },
  { name: 'bmi', loinc: ['39156-5'], window: WINDOW_DAYS, aggregation: 'latest', unit: 'kg/m2', missing: 0 },
  {
    name: 'glucose',
    valueSet: 'glucose',
    window: WINDOW_DAYS,
    aggregation: 'latest',
    unit: 'mg/dL',
    missing: 0,
  },
  {
    name: 'triglycerides',
    loinc: ['2571-8'],
    window: WINDOW_DAYS,
    aggregation: 'latest',
    unit: 'mg/dL',
    missing: 0,
  },
  { name: 'hypertension', valueSet: 'htn', aggregation: 'present', missing: 0 },
].map((f) => featureSchema.parse(f));

interface Example {
  patientId: string;
  x: number[];
  missing: boolean[];
  y: 0 | 1;
  test: boolean;
}

/** The first recorded onset of prediabetes or type 2 diabetes, if any. */
function outcomeOnset(record: PatientRecord): number | undefined {
  const isOutcome = (c: Condition) =>
    c.code?.coding?.some((x) => x.code === PREDIABETES) ||
    groupsOfConcept(c.code, false).some((m) => m.id === 't2d');
  const onsets = record.conditions
    .filter(isOutcome)
    .map((c) => Date.parse(c.onsetDateTime ?? c.recordedDate ?? ''))
    .filter(Number.isFinite);
  return onsets.length ? Math.min(...onsets) : undefined;
}

/** A stable 30% test split by patient id, so a re-run gives the same model. */
function isTest(patientId: string): boolean {
  return createHash('sha256').update(patientId).digest()[0]! < 0.3 * 256;
}

/**
 * Cases are seen the day before their first diagnosis (what the model would have known then).
 * Controls are seen at an age drawn from the cases' ages at diagnosis (chosen by a hash of the
 * patient id, capped at the end of their record), so age is not learnt from when records end
 * rather than from the disease. Adults only.
 */
function examples(): Example[] {
  const bundles = loadBundles(DATA);
  const caseAges: number[] = [];
  for (const b of bundles) {
    const onset = outcomeOnset(b.record);
    const born = Date.parse(b.record.patient.birthDate ?? '');
    if (onset !== undefined && Number.isFinite(born)) caseAges.push(onset - born);
  }
  caseAges.sort((a, b) => a - b);
  const out: Example[] = [];
  for (const b of bundles) {
    const onset = outcomeOnset(b.record);
    const end = recordEnd(b.record).getTime() - DAY_MS;
    const born = Date.parse(b.record.patient.birthDate ?? '');
    const pick = createHash('sha256').update(`age:${b.patientId}`).digest().readUInt32BE(0) / 2 ** 32;
    const controlAt =
      Number.isFinite(born) && caseAges.length ? born + caseAges[Math.floor(pick * caseAges.length)]! : end;
    const now = new Date(onset !== undefined ? onset - DAY_MS : Math.min(end, controlAt));
    const v = featureVector(b.record, { features: FEATURES }, now);
    if ((v.values[0] ?? 0) < 18 || v.features[0]?.missing) continue;
    out.push({
      patientId: b.patientId,
      x: v.values,
      missing: v.features.map((f) => f.missing),
      y: onset !== undefined ? 1 : 0,
      test: isTest(b.patientId),
    });
  }
  return out;
}

const sigmoid = (z: number) => 1 / (1 + Math.exp(-z));

/** L2-penalised logistic regression on standardised inputs by full-batch gradient descent. */
function fit(X: number[][], y: number[], lambda = 0.05, steps = 5000, rate = 0.2) {
  const k = X[0]?.length ?? 0;
  const w = new Array<number>(k).fill(0);
  let b = 0;
  for (let s = 0; s < steps; s++) {
    const gw = new Array<number>(k).fill(0);
    let gb = 0;
    X.forEach((row, i) => {
      const err = sigmoid(row.reduce((acc, x, j) => acc + x * w[j]!, b)) - y[i]!;
      row.forEach((x, j) => (gw[j]! += err * x));
      gb += err;
    });
    for (let j = 0; j < k; j++) w[j]! -= rate * (gw[j]! / X.length + lambda * w[j]!);
    b -= (rate * gb) / X.length;
  }
  return { w, b };
}

/** AUROC as the Mann-Whitney probability that a case outranks a control (ties count half). */
function auroc(scores: number[], y: number[]): number {
  const pos = scores.filter((_, i) => y[i] === 1);
  const neg = scores.filter((_, i) => y[i] === 0);
  let wins = 0;
  for (const p of pos) for (const n of neg) wins += p > n ? 1 : p === n ? 0.5 : 0;
  return wins / (pos.length * neg.length);
}

/** Percentile bootstrap interval of the AUROC (a seeded generator: the same report every run). */
function bootstrap(scores: number[], y: number[], rounds = 2000): [number, number] {
  let seed = 42;
  const random = () => (seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0) / 2 ** 32;
  const values: number[] = [];
  for (let r = 0; r < rounds; r++) {
    const idx = scores.map(() => Math.floor(random() * scores.length));
    const ys = idx.map((i) => y[i]!);
    if (!ys.includes(0) || !ys.includes(1)) continue;
    values.push(
      auroc(
        idx.map((i) => scores[i]!),
        ys,
      ),
    );
  }
  values.sort((a, b) => a - b);
  return [values[Math.floor(values.length * 0.025)] ?? NaN, values[Math.floor(values.length * 0.975)] ?? NaN];
}

const round = (x: number, digits = 4) => Number(x.toFixed(digits));

async function main(): Promise<void> {
  const all = examples();
  const train = all.filter((e) => !e.test);
  const test = all.filter((e) => e.test);
  const k = FEATURES.length;

  // The missing value of each feature: its mean where measured in the training split.
  const means = FEATURES.map((_, j) => {
    const seen = train.filter((e) => !e.missing[j]).map((e) => e.x[j]!);
    return seen.length ? seen.reduce((a, b) => a + b, 0) / seen.length : 0;
  });
  const filled = (e: Example) => e.x.map((x, j) => (e.missing[j] ? means[j]! : x));
  const sds = FEATURES.map((_, j) => {
    const xs = train.map((e) => filled(e)[j]!);
    const sd = Math.sqrt(xs.reduce((a, x) => a + (x - means[j]!) ** 2, 0) / xs.length);
    return sd > 0 ? sd : 1;
  });
  const standard = (e: Example) => filled(e).map((x, j) => (x - means[j]!) / sds[j]!);
  const { w, b } = fit(
    train.map(standard),
    train.map((e) => e.y),
  );
  // Folded back to the raw inputs the service gives the model: w_raw = w / sd, b_raw = b − Σ w·mean/sd.
  const weights = w.map((wj, j) => wj / sds[j]!);
  const intercept = b - w.reduce((acc, wj, j) => acc + (wj * means[j]!) / sds[j]!, 0);
  const predict = (x: number[]) => sigmoid(x.reduce((acc, v, j) => acc + v * weights[j]!, intercept));

  const trainScores = train.map((e) => predict(filled(e)));
  const testScores = test.map((e) => predict(filled(e)));
  const testY = test.map((e) => e.y);
  const testAuroc = auroc(testScores, testY);
  const interval = bootstrap(testScores, testY);

  mkdirSync(OUT, { recursive: true });
  const onnxPath = join(OUT, `${MODEL_ID}.onnx`);
  const bytes = logisticRegressionOnnx({
    weights,
    intercept,
    metadata: { features: FEATURES.map((f) => f.name).join(','), model: `${MODEL_ID} ${VERSION}` },
    docString:
      'Logistic regression for prediabetes or type 2 diabetes, trained on synthetic (Synthea) records.',
  });
  writeFileSync(onnxPath, bytes);

  // The file as onnxruntime reads it must give the same probabilities as the training code.
  const session = await ort.InferenceSession.create(onnxPath);
  let maxDiff = 0;
  for (const e of test) {
    const x = Float32Array.from(filled(e));
    const out = await session.run({ input: new ort.Tensor('float32', x, [1, k]) });
    maxDiff = Math.max(maxDiff, Math.abs(Number(out.probability?.data[0]) - predict(filled(e))));
  }
  await session.release();

  const report = {
    model: MODEL_ID,
    version: VERSION,
    outcome: 'First recorded prediabetes (SNOMED CT 15777000) or type 2 diabetes (terminology group t2d)',
    data: relative(resolve(__dirname, '../..'), DATA),
    index:
      "Cases: the day before the first diagnosis; controls: at an age drawn from the cases' ages at diagnosis (at most the end of their record)",
    window: `${WINDOW_DAYS} days before the index date`,
    adults: all.length,
    train: {
      patients: train.length,
      cases: train.filter((e) => e.y).length,
      auroc: round(
        auroc(
          trainScores,
          train.map((e) => e.y),
        ),
      ),
    },
    test: {
      patients: test.length,
      cases: test.filter((e) => e.y).length,
      auroc: round(testAuroc),
      auroc95: interval.map((x) => round(x)),
    },
    features: FEATURES.map((f, j) => ({
      name: f.name,
      weight: round(weights[j]!, 6),
      standardisedWeight: round(w[j]!),
      trainingMean: round(means[j]!),
      measuredInTraining: train.filter((e) => !e.missing[j]).length,
    })),
    intercept: round(intercept, 6),
    onnx: {
      file: `${MODEL_ID}.onnx`,
      sha256: createHash('sha256').update(bytes).digest('hex'),
      maxAbsDifferenceFromTraining: maxDiff,
    },
  };
  await writeFormatted(join(OUT, 'training-report.json'), JSON.stringify(report));
  await writeFormatted(join(OUT, 'training-report.md'), reportMarkdown(report));

  const entry: Omit<SiteModelSpec, 'hooks'> & { hooks: string[] } = {
    id: MODEL_ID,
    version: VERSION,
    owner: 'Rationale sandbox (example)',
    intendedUse:
      'Example of a site-trained model: flags adults whose record suggests undiagnosed prediabetes or type 2 diabetes. Synthetic training data; for demonstration in the sandbox only.',
    sourceAttributes: {
      developer: 'Rationale open-source project (cds-service/scripts/train-site-model.ts)',
      fundingSource: 'Open-source project; no external funding',
      outputDescription: 'Probability of prediabetes or type 2 diabetes being diagnosed',
      intendedUsers: ['Developers and informaticists trying the site-model path in the sandbox'],
      intendedPopulation: 'Adults (18 years and over) without a recorded prediabetes or diabetes diagnosis',
      cautionedOutOfScopeUses: ['Any clinical use: trained and tested on synthetic records only'],
      trainingData: `${report.adults} synthetic adults (Synthea R4 bundles); ${report.train.patients} for training (${report.train.cases} cases)`,
      knownLimitations: [
        'Synthea generates these conditions and their labs from rules, so the measured performance says nothing about real patients',
        `Small held-out split (${report.test.patients} patients, ${report.test.cases} cases): the interval is wide`,
      ],
      knownRisks: ['Automation bias if shown live; it ships silent'],
      validation: `Held-out AUROC ${report.test.auroc} (95% bootstrap interval ${report.test.auroc95.join('–')}) on ${report.test.patients} synthetic patients`,
      updateSchedule: 'Re-trained by running the script',
    },
    hooks: ['patient-view'],
    mode: 'silent',
    budgetMs: 250,
    features: FEATURES.map((f, j) => ({ ...f, missing: round(means[j]!) })),
    runtime: { kind: 'onnx', file: relative(dirname(SANDBOX_CONFIG), onnxPath) },
    outputs: [
      {
        output: 'probability',
        index: 0,
        conditionId: 'dysglycemia',
        label: 'Prediabetes or type 2 diabetes',
        recordedValueSet: 't2d',
        excludeIfRecorded: ['hospice'],
        thresholds: { info: 0.5, warning: 0.8 },
        summary: '{label}: site-model risk {probability} ({topFeatures})',
        action: {
          resourceType: 'ServiceRequest',
          code: {
            system: 'http://loinc.org',
            code: '4548-4',
            display: 'Hemoglobin A1c/Hemoglobin.total in Blood',
          },
        },
      },
    ],
    linear: {
      weights: Object.fromEntries(FEATURES.map((f, j) => [f.name, round(weights[j]!, 6)])),
      reference: Object.fromEntries(FEATURES.map((f, j) => [f.name, round(means[j]!)])),
    },
  };
  await writeFormatted(
    SANDBOX_CONFIG,
    JSON.stringify({ $schema: '../cds-service/config.schema.json', models: [entry] }),
  );
  process.stdout.write(
    `${MODEL_ID}: ${report.adults} adults, test AUROC ${report.test.auroc} (${report.test.auroc95.join('–')}), ONNX max |Δ| ${maxDiff.toExponential(1)}\n`,
  );
}

/** Written as the repository's prettier would write it, so a re-run changes only what changed. */
async function writeFormatted(path: string, text: string): Promise<void> {
  const options = (await resolveConfig(path)) ?? {};
  writeFileSync(path, await format(text, { ...options, filepath: path }));
}

function reportMarkdown(r: {
  model: string;
  version: string;
  outcome: string;
  data: string;
  index: string;
  window: string;
  adults: number;
  train: { patients: number; cases: number; auroc: number };
  test: { patients: number; cases: number; auroc: number; auroc95: number[] };
  features: {
    name: string;
    weight: number;
    standardisedWeight: number;
    trainingMean: number;
    measuredInTraining: number;
  }[];
  intercept: number;
  onnx: { file: string; sha256: string; maxAbsDifferenceFromTraining: number };
}): string {
  return [
    `# ${r.model} ${r.version}: training report`,
    '',
    'Written by `npm run train:site-model -w @rationale/cds-service`. Synthetic records only: this shows the',
    'site-model path working end to end, not a clinically valid model.',
    '',
    `- Outcome: ${r.outcome}`,
    `- Data: \`${r.data}\`, ${r.adults} adults`,
    `- Index date: ${r.index}; features from the ${r.window}`,
    `- Model: logistic regression (L2, standardised inputs, folded back to raw units), ONNX MatMul + Add + Sigmoid`,
    `- Training split: ${r.train.patients} patients, ${r.train.cases} cases, AUROC ${r.train.auroc}`,
    `- **Held-out split: ${r.test.patients} patients, ${r.test.cases} cases, AUROC ${r.test.auroc} (95% bootstrap interval ${r.test.auroc95.join('–')})**`,
    `- ONNX file: \`${r.onnx.file}\`, sha256 \`${r.onnx.sha256}\`; largest difference from the training code's probabilities through onnxruntime-node: ${r.onnx.maxAbsDifferenceFromTraining.toExponential(1)}`,
    '',
    '| feature | weight (raw units) | standardised weight | training mean (missing value) | measured in training |',
    '| --- | --- | --- | --- | --- |',
    ...r.features.map(
      (f) =>
        `| ${f.name} | ${f.weight} | ${f.standardisedWeight} | ${f.trainingMean} | ${f.measuredInTraining} |`,
    ),
    `| (intercept) | ${r.intercept} | | | |`,
    '',
  ].join('\n');
}

main().catch((e: unknown) => {
  process.stderr.write(`${e instanceof Error ? e.stack : String(e)}\n`);
  process.exit(1);
});
