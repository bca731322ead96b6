/**
 * One validation run: read the source a patient at a time, replay batches on a runner (lanes on
 * this machine, or the PostgreSQL queue), aggregate, write the report. Memory: the batches in flight,
 * one export partition, and the compact per-patient results.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { MonitoringRow } from '../store/store';
import { buildValidationReport, compareCalibration, storeSummary, type ValidationReport } from './aggregate';
import { ResultKeeper, type KeptResult } from './compact';
import { bundleUnits, partitionExport, type PatientUnit } from './export-reader';
import type { BootstrapOptions } from './metrics';
import type { BatchRunner } from './pool';
import type * as ProvenanceModule from '../model/provenance';
import type { ReplayOptions, ValidationModel } from './replay';
import { writeReport } from './report';

export type ValidationSource = { kind: 'bulk-export'; dir: string } | { kind: 'bundles'; dir: string };

export interface Progress {
  done: number;
  total: number;
  elapsedMs: number;
}

export interface RunOptions {
  source: ValidationSource;
  outDir: string;
  replay: ReplayOptions;
  bootstrap: BootstrapOptions;
  /** Patients per batch. */
  batchSize: number;
  /** Where an export is partitioned (default: a temporary folder, removed afterwards). */
  spillDir?: string;
  /** The store's monitoring rows, for silent-mode volume, acceptance and overrides. */
  monitoring?: { from: string; to: string; rows: MonitoringRow[] };
  clock: () => Date;
  onProgress?: (progress: Progress) => void;
  /**
   * Replay the population first with `before` (no calibration) and report AUROC, Brier and ECE
   * per condition beside those of `replay.model` (with it). `label` names the calibration.
   */
  compareCalibration?: { before: ValidationModel; label: string };
}

export interface RunOutcome {
  report: ValidationReport;
  written: string[];
}

/**
 * The source's patients, with the total when known up front. An export's patients are their bytes,
 * or, for a runner whose lanes read this machine's files, references into the spill files.
 */
export async function openSource(
  source: ValidationSource,
  spillDir: string,
  readsLocalFiles = false,
): Promise<{ total: number; units: Iterable<PatientUnit> }> {
  if (source.kind === 'bundles') {
    const units = bundleUnits(source.dir);
    return { total: units.length, units };
  }
  const partitioned = await partitionExport(source.dir, spillDir);
  return {
    total: partitioned.stats.patients,
    units: readsLocalFiles ? partitioned.spillUnits() : partitioned.units(),
  };
}

/** Groups an iterable into arrays of `size`. */
export function* batches<T>(items: Iterable<T>, size: number): Generator<T[]> {
  let batch: T[] = [];
  for (const item of items) {
    batch.push(item);
    if (batch.length >= size) {
      yield batch;
      batch = [];
    }
  }
  if (batch.length) yield batch;
}

/** Replays every patient of the source on the runner; results (packed) in no particular order. */
export async function replayAll(
  units: Iterable<PatientUnit>,
  total: number,
  runner: BatchRunner,
  options: Pick<RunOptions, 'replay' | 'batchSize' | 'onProgress'>,
): Promise<{ results: KeptResult[]; unreadable: number; rejected: number }> {
  const keeper = new ResultKeeper();
  let unreadable = 0;
  let rejected = 0;
  let done = 0;
  const started = Date.now();
  const inflight = new Set<Promise<void>>();
  for (const batch of batches(units, options.batchSize)) {
    const p: Promise<void> = runner.run({ units: batch, options: options.replay }).then((out) => {
      for (const r of out.results) keeper.add(r);
      unreadable += out.unreadable;
      rejected += out.rejected;
      done += batch.length;
      options.onProgress?.({ done, total, elapsedMs: Date.now() - started });
    });
    inflight.add(p);
    void p.then(
      () => inflight.delete(p),
      () => inflight.delete(p),
    );
    if (inflight.size >= runner.threads * 2) await Promise.race(inflight);
  }
  await Promise.all(inflight);
  return { results: keeper.results, unreadable, rejected };
}

/**
 * The replay and the aggregation, in a function of their own so the packed results are unreachable
 * once the report's tables are built (the rendering does not hold them). The runner is closed as
 * soon as the replay is done: its lane processes would otherwise keep their heaps through the
 * report step, which runs in this process.
 */
async function replayAndAggregate(
  options: RunOptions,
  runner: BatchRunner,
  spill: string,
  started: number,
): Promise<ValidationReport> {
  const { total, units } = await openSource(options.source, join(spill, 'run'), runner.readsLocalFiles);
  const { results, unreadable, rejected } = await replayAll(units, total, runner, options);
  await runner.close();
  const seconds = (Date.now() - started) / 1000;
  // Loaded once the replay is done: the provenance hash needs the whole knowledge base in memory,
  // which this process does not replay with when the lanes are processes of their own.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { MODEL_PROVENANCE } = require('../model/provenance') as typeof ProvenanceModule;
  return buildValidationReport(results, {
    generatedAt: options.clock().toISOString(),
    model: { ...MODEL_PROVENANCE },
    source: { kind: options.source.kind, patients: results.length, unreadable, rejected },
    options: { ...options.replay, bootstrap: options.bootstrap },
    ...(options.monitoring
      ? {
          store: {
            from: options.monitoring.from,
            to: options.monitoring.to,
            rows: storeSummary(options.monitoring.rows),
          },
        }
      : {}),
    timings: {
      seconds,
      patientsPerSecond: results.length / Math.max(seconds, 1e-9),
      threads: runner.threads,
    },
  });
}

/**
 * Runs a whole validation and writes the report into `options.outDir`. Closes the runner when the
 * last replay is done (closing it again is harmless).
 */
export async function runValidation(options: RunOptions, runner: BatchRunner): Promise<RunOutcome> {
  const spill = options.spillDir ?? mkdtempSync(join(tmpdir(), 'rationale-validate-'));
  const started = Date.now();
  try {
    const before = options.compareCalibration
      ? await replayWithout(options, options.compareCalibration.before, runner, spill)
      : undefined;
    const report = await replayAndAggregate(options, runner, spill, started);
    if (before && options.compareCalibration)
      report.calibrationComparison = compareCalibration(before, report, options.compareCalibration.label);
    const written = await writeReport(report, options.outDir);
    return { report, written };
  } finally {
    if (!options.spillDir) rmSync(spill, { recursive: true, force: true });
  }
}

/** The report of the same population replayed with `model` (the comparison's "before"). */
async function replayWithout(
  options: RunOptions,
  model: ValidationModel,
  runner: BatchRunner,
  spill: string,
): Promise<ValidationReport> {
  const replay = { ...options.replay, model };
  const { total, units } = await openSource(options.source, join(spill, 'before'), runner.readsLocalFiles);
  const { results, unreadable, rejected } = await replayAll(units, total, runner, { ...options, replay });
  return buildValidationReport(results, {
    generatedAt: options.clock().toISOString(),
    source: { kind: options.source.kind, patients: results.length, unreadable, rejected },
    options: { ...replay, bootstrap: options.bootstrap },
  });
}
