/**
 * The site-model step of the pipeline (DESIGN.md §5a, issue 16): each of the site's own models
 * that runs on this hook gets its feature vector, is called within its budget, and its outputs
 * become SiteModelResult entries of the Assessment, with the features and their resources, the
 * exact model that ran (file hash or server metadata) and, when it did not answer, why. Never
 * throws: a slow, down or wrong-shaped model is a status, and the other sources answer.
 */
import type {
  PatientRecord,
  SiteModelFeature,
  SiteModelPrediction,
  SiteModelResult,
} from '@rationale/shared-types';
import { formatProbability } from '@rationale/shared-types';
import type { ServiceHook } from '../config';
import { groupsOfConcept } from '../model/terminology';
import { featureVector, type FeatureValue } from '../site-models/features';
import type { OutputSpec, SiteModelSpec } from '../site-models/registry';
import { SiteModelError, untilAborted, type ModelRuntime } from '../site-models/runtime';
import type { SiteModelCall } from '../store/store';
import { isRefuted } from '../model/verification';

/** A registry entry with the runtime it runs on (built once by the composition root). */
export interface SiteModel {
  spec: SiteModelSpec;
  runtime: ModelRuntime;
  /**
   * Counts each run for the monitoring page (main.ts queues it on the store's write-behind batch);
   * returns at once, so the answer never waits for the write.
   */
  record?: (call: SiteModelCall) => void;
}

/** How many features a card summary names. */
const TOP_FEATURES = 3;

/**
 * Runs every model configured for `hook` (every model when no hook asked: the app API, eval), in
 * parallel, each cut at its own budget. `elapsed` is a monotonic clock in milliseconds; each
 * budget counts from `startedAt` on it (the hook's start) when given, else from the call, and a
 * model whose budget is already spent is not called at all.
 */
export async function runSiteModels(
  models: readonly SiteModel[],
  record: PatientRecord,
  now: Date,
  hook: ServiceHook | undefined,
  elapsed: () => number,
  startedAt?: number,
): Promise<SiteModelResult[]> {
  const due = models.filter((m) => hook === undefined || m.spec.hooks.includes(hook));
  return Promise.all(due.map((m) => runOne(m, record, now, hook, elapsed, startedAt)));
}

async function runOne(
  model: SiteModel,
  record: PatientRecord,
  now: Date,
  hook: ServiceHook | undefined,
  elapsed: () => number,
  startedAt: number | undefined,
): Promise<SiteModelResult> {
  const { spec } = model;
  const started = elapsed();
  const vector = featureVector(record, spec, now);
  const features = withContributions(vector.features, spec);
  const base = {
    modelId: spec.id,
    version: spec.version,
    owner: spec.owner,
    mode: spec.mode,
    features,
  };
  const remainingMs = spec.budgetMs - (startedAt === undefined ? 0 : started - startedAt);
  const signal = remainingMs > 0 ? AbortSignal.timeout(Math.ceil(remainingMs)) : AbortSignal.abort();
  // The runtime honours the signal; this is the step's own guarantee that the hook never waits past it.
  const stop = untilAborted(signal);
  let status: SiteModelResult['status'] = 'complete';
  let predictions: SiteModelPrediction[] = [];
  try {
    // A budget the hook already spent (gathering the record) means no call: the answer would be late.
    if (signal.aborted) throw new SiteModelError('timeout', 'budget spent before the call');
    const outputs = await Promise.race([model.runtime.infer(vector.values, signal), stop.promise]);
    predictions = spec.outputs.map((o) => prediction(o, outputs, spec, record, features));
  } catch (e) {
    status = e instanceof SiteModelError ? e.code : 'bad-response';
  } finally {
    stop.dispose();
  }
  const result: SiteModelResult = {
    ...base,
    provenance: model.runtime.provenance(),
    status,
    latencyMs: Math.max(0, Math.round((elapsed() - started) * 10) / 10),
    predictions,
  };
  model.record?.({
    modelId: spec.id,
    version: spec.version,
    mode: spec.mode,
    runtime: spec.runtime.kind,
    ...(hook ? { hook } : {}),
    at: now,
    durationMs: result.latencyMs,
    status,
  });
  return result;
}

function prediction(
  o: OutputSpec,
  outputs: Record<string, number[]>,
  spec: SiteModelSpec,
  record: PatientRecord,
  features: readonly SiteModelFeature[],
): SiteModelPrediction {
  const p = outputs[o.output]?.[o.index];
  if (typeof p !== 'number' || !Number.isFinite(p) || p < 0 || p > 1)
    throw new SiteModelError('bad-response', `output ${o.output}[${o.index}] is not a probability`);
  const level =
    o.thresholds.warning !== undefined && p >= o.thresholds.warning
      ? 'warning'
      : p >= o.thresholds.info
        ? 'info'
        : 'none';
  const excludedBy = o.excludeIfRecorded.find((g) => hasRecorded(record, g));
  return {
    id: `${spec.id}:${o.conditionId}`,
    conditionId: o.conditionId,
    label: o.label,
    probability: p,
    level,
    recorded: o.recordedValueSet !== undefined && hasRecorded(record, o.recordedValueSet),
    ...(excludedBy ? { excludedBy } : {}),
    summary: fillTemplate(o.summary, {
      label: o.label,
      probability: p,
      features,
      model: `${spec.id} ${spec.version}`,
    }),
    ...(o.action
      ? {
          action: {
            resourceType: o.action.resourceType,
            code: o.action.code,
            ...(o.action.instruction ? { instruction: o.action.instruction } : {}),
          },
        }
      : {}),
  };
}

/** weight × (value − reference) per feature of a linear model, on the log-odds scale. */
function withContributions(features: readonly FeatureValue[], spec: SiteModelSpec): SiteModelFeature[] {
  return features.map((f) => {
    const weight = spec.linear?.weights[f.name];
    const contribution =
      weight === undefined ? undefined : weight * (f.value - (spec.linear?.reference?.[f.name] ?? 0));
    return {
      name: f.name,
      value: f.value,
      ...(f.unit ? { unit: f.unit } : {}),
      missing: f.missing,
      sources: f.sources,
      ...(contribution === undefined ? {} : { contribution }),
    };
  });
}

/**
 * The card text: {label}, {probability}, {model} and {topFeatures}: the features raising the risk
 * most (by contribution, for a linear model) or else the first measured ones, with their values.
 */
export function fillTemplate(
  template: string,
  v: { label: string; probability: number; features: readonly SiteModelFeature[]; model: string },
): string {
  const present = v.features.filter((f) => !f.missing);
  const ranked = present.some((f) => f.contribution !== undefined)
    ? present
        .filter((f) => (f.contribution ?? 0) > 0)
        .sort((a, b) => (b.contribution ?? 0) - (a.contribution ?? 0))
    : present;
  const top = ranked
    .slice(0, TOP_FEATURES)
    .map((f) => `${f.name} ${Number(f.value.toFixed(1))}${f.unit && f.unit !== '1' ? ` ${f.unit}` : ''}`)
    .join(', ');
  return template
    .replaceAll('{label}', v.label)
    .replaceAll('{probability}', formatProbability(v.probability))
    .replaceAll('{model}', v.model)
    .replaceAll('{topFeatures}', top || 'no measured inputs');
}

function hasRecorded(record: PatientRecord, group: string): boolean {
  return record.conditions.some(
    (c) => !isRefuted(c) && groupsOfConcept(c.code, false).some((m) => m.id === group),
  );
}
