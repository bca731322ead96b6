/**
 * The service with its model made free, for `npm run bench:profile -- --model-free`: the service's
 * own bundle, compiled from the current sources with one change to `assessPatient`
 * (cds-service/src/assessment/assess-patient.ts): the record's reading and the knowledge model's
 * answer are made once per patient and reused. Every later call does everything else as deployed
 * (Express and helmet, zod, the JWT and its id, gathering the prefetch, choosing and rendering
 * cards, the store's rows, the snapshot when a card is issued, logging), so the bench measures what
 * the hook path costs apart from the model, beside the floor and the service (issue 21).
 * Never deployed: the bundle is written beside the service's as `dist/service-model-free.cjs`.
 */
import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { compileBundle, SERVICE_BUNDLE } from '../../../../cds-service/src/bundle';
import { REPO_ROOT, SERVICE_MAIN } from './service';

export const ASSESS_PATIENT = path.join(REPO_ROOT, 'cds-service', 'src', 'assessment', 'assess-patient.ts');
export const MODEL_FREE_BUNDLE = path.join(path.dirname(SERVICE_BUNDLE), 'service-model-free.cjs');

/** Each line of `assessPatient` that runs the model, and what replaces it (reuse per patient). */
const PATCHES: ReadonlyArray<readonly [string, string]> = [
  [
    '  const { record, issues } = readRecord(input.data);',
    [
      '  const memo: Map<string, any> = ((globalThis as any).__rationaleModelFree ??= new Map());',
      '  const hit = memo.get(input.data.patientId);',
      '  const { record, issues } = hit?.read ?? readRecord(input.data);',
    ].join('\n'),
  ],
  [
    '  const knowledge = pipeline.assess(record, input.now, pipeline.settings);',
    [
      '  const knowledge = hit?.knowledge ?? pipeline.assess(record, input.now, pipeline.settings);',
      '  if (!hit) memo.set(input.data.patientId, { read: { record, issues }, knowledge });',
    ].join('\n'),
  ],
];

/** `assessPatient`'s source with the model reused per patient; throws when a line has changed. */
export function modelFreeSource(source: string): string {
  let out = source;
  for (const [line, replacement] of PATCHES) {
    if (!out.includes(line))
      throw new Error(`assess-patient.ts no longer has "${line.trim()}": update the --model-free patch`);
    out = out.replace(line, replacement);
  }
  return out;
}

/** `rewrite` for compileBundle: only assess-patient.ts changes. */
export function modelFreeRewrite(file: string, source: string): string {
  return file === ASSESS_PATIENT ? modelFreeSource(source) : source;
}

/** Compiles the model-free service and returns its path. */
export async function modelFreeBundle(): Promise<string> {
  modelFreeSource(readFileSync(ASSESS_PATIENT, 'utf8')); // a changed line is named here, not lost in esbuild
  const code = await compileBundle(SERVICE_MAIN, path.dirname(SERVICE_BUNDLE), modelFreeRewrite);
  if (code === undefined) throw new Error('the model-free service could not be compiled');
  const partial = `${MODEL_FREE_BUNDLE}.${process.pid}.part`;
  writeFileSync(partial, code);
  renameSync(partial, MODEL_FREE_BUNDLE);
  return MODEL_FREE_BUNDLE;
}
