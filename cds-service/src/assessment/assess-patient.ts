/**
 * `assessPatient`: the ONE path from a patient's FHIR resources to an Assessment (DESIGN.md §1,
 * STYLE.md "One pipeline, thin adapters"). Shape check → PatientRecord → site models and knowledge
 * model → optional LLM reasoner → provenance, in that order, every time. The CDS hooks, the app API, the CLI
 * dry run, eval and validation call it and differ only in where the resources come from and what
 * they do with the result, so a step added here is live on every path at once. Transport-free: no
 * HTTP, no store, no clock (time arrives as `now`).
 */
import type { Assessment, LlmAdditions, PatientRecord } from '@rationale/shared-types';
import type { ServiceHook } from '../config';
import type { LlmEnricher } from '../llm/types';
import type { ModelSettings } from '../model/settings';
import { runLlm } from './llm-step';
import { readRecord, type PatientData } from './read-record';
import { runSiteModels, type SiteModel } from './site-model-step';

/** The knowledge model's entry point: `assess(record, now, settings)` from model/assess.ts. Pure. */
export type AssessFn = (record: PatientRecord, now: Date, settings: ModelSettings) => Assessment;

/** What to assess, and as of when. */
export interface AssessPatientInput {
  /** The patient's resources as read (prefetch and FHIR reads, a bundle, an export), unchecked. */
  data: PatientData;
  /** The moment the assessment is made at: the model reads no clock. */
  now: Date;
  /** The hook that asked, when a hook did; recorded in the Assessment. */
  hook?: ServiceHook;
  /** The hook call's `hookInstance`, when a hook asked. */
  hookInstance?: string;
  /**
   * When the caller's work began, on the pipeline's `elapsed` clock: the site models' budgets count
   * from it, so a hook's budget starts with the hook, not when the record is known. Absent: from
   * the moment the models are called.
   */
  startedAt?: number;
}

/** The pipeline's parts and configuration, built once by the composition root (or a test). */
export interface AssessmentPipeline {
  /** The knowledge model (model/assess.ts `assess`); a test may pass a fake. */
  assess: AssessFn;
  /** The model's thresholds and recency rules (Config.modelSettings). */
  settings: ModelSettings;
  /** The optional LLM reasoner; absent when none is configured. */
  llm?: LlmEnricher;
  /** Makes the Assessment's id (a UUID in the service). */
  newId: () => string;
  /** The site's own models (configuration `models`), each with its runtime; none when absent. */
  siteModels?: readonly SiteModel[];
  /** A monotonic clock in milliseconds, for the site models' latency (performance.now by default). */
  elapsed?: () => number;
}

/** An Assessment and what was assessed. */
export interface AssessPatientResult {
  /** Built once and frozen: nothing changes an Assessment after the pipeline returns it. */
  assessment: Readonly<Assessment>;
  /** The record the model read (the LLM summary and eval's reference checks read it too). */
  record: PatientRecord;
  /** LLM additions still on their way when the budget ran out; store them with `storeLateLlm`. */
  lateLlm?: Promise<LlmAdditions>;
}

/**
 * Assesses one patient. Malformed resources are read for what they have, or skipped, and listed in
 * the Assessment's `dataQuality` (fhir/shape.ts); throws CdsError `fhir-unavailable` when the
 * named Patient is not among the resources. The LLM step never throws:
 * a failing reasoner leaves `llm.status` `failed` and the knowledge model answers alone.
 */
export async function assessPatient(
  input: AssessPatientInput,
  pipeline: AssessmentPipeline,
): Promise<AssessPatientResult> {
  const { record, issues } = readRecord(input.data);
  // Site models run in a worker thread or on a server while the knowledge model runs here.
  const siteModelsRun = pipeline.siteModels?.length
    ? runSiteModels(
        pipeline.siteModels,
        record,
        input.now,
        input.hook,
        pipeline.elapsed ?? (() => performance.now()),
        input.startedAt,
      )
    : undefined;
  const knowledge = pipeline.assess(record, input.now, pipeline.settings);
  const id = pipeline.newId();
  const identity = {
    id,
    ...(input.hook ? { hook: input.hook } : {}),
    ...(input.hookInstance ? { hookInstance: input.hookInstance } : {}),
  };
  const quality = issues.length ? { dataQuality: issues } : {};
  // The reasoner reads the knowledge model's assessment, not the site models': it runs while they
  // finish, so a hook with both waits for the longer budget, not for one after the other.
  const llmRun = pipeline.llm
    ? runLlm(pipeline.llm, { ...knowledge, ...quality, ...identity }, record)
    : undefined;
  const siteModels = (await siteModelsRun) ?? [];
  const modelled: Assessment = {
    ...knowledge,
    ...quality,
    ...(siteModels.length ? { siteModels } : {}),
    ...identity,
  };
  if (!llmRun) return { assessment: Object.freeze(modelled), record };
  const llm = await llmRun;
  const assessment = Object.freeze({ ...modelled, llm: llm.additions });
  return { assessment, record, ...(llm.late ? { lateLlm: llm.late } : {}) };
}
