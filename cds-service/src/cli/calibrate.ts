/**
 * `rationale calibrate --export DIR --out FILE`: re-estimates the knowledge model's priors from a
 * site's population (a FHIR Bulk Data export, or a folder of bundles with --bundles) and writes the
 * calibration file the service loads (configuration `calibrationFile`). Per condition: adults with
 * it on the problem list, the local prevalence with its interval, and the prior shrunk toward the
 * published value; and, per condition and finding, the 2×2 table of the finding (as the model
 * evaluates it) against the problem list, whence the local LR+ and LR− with their intervals, shrunk
 * toward the published LRs where the data allow (model/calibration.ts).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { parseArgs } from 'node:util';
import { readRecord } from '../assessment';
import { findingStatesFor } from '../model/assess';
import {
  calibrateFinding,
  calibratePrior,
  DEFAULT_CALIBRATION_STRENGTH,
  DEFAULT_LR_STRENGTH,
  MIN_LR_CASES,
  MIN_LR_NON_CASES,
  type CalibrationFile,
  type FindingCalibration,
  type TwoByTwo,
} from '../model/calibration';
import { DIAGNOSTIC_CONDITION_CODES, matchConditionCodes } from '../model/knowledge/condition-index';
import { DIAGNOSTIC_KB } from '../model/knowledge/conditions';
import { likelihoodRatios } from '../model/knowledge/schema';
import { MODEL_VERSION } from '../model/provenance';
import { unitResources } from '../validation/batch';
import { openSource } from '../validation/run';
import { CliError } from './errors';
import type { CliIo } from './main';
import { isRefuted } from '../model/verification';

export const CALIBRATE_USAGE = `  calibrate                    Re-estimate the knowledge model's priors and likelihood ratios from a site's population.
      --export DIR | --bundles DIR  A FHIR Bulk Data export (NDJSON) or a folder of bundles
      --out FILE               The calibration file to write (load it with calibrationFile)
      --as-of ISO              The date ages are computed at (default: now)
      --strength N             Patients the published prior is worth (default ${DEFAULT_CALIBRATION_STRENGTH})
      --lr-strength N          Cases a published likelihood ratio is worth (default ${DEFAULT_LR_STRENGTH})
`;

const YEAR_MS = 365.25 * 86_400_000;

export async function calibrateCommand(args: string[], io: CliIo): Promise<number> {
  const { values } = parseArgs({
    args,
    options: {
      export: { type: 'string' },
      bundles: { type: 'string' },
      out: { type: 'string' },
      'as-of': { type: 'string' },
      strength: { type: 'string' },
      'lr-strength': { type: 'string' },
    },
  });
  const dir = values.export ?? values.bundles;
  if (!dir || (values.export && values.bundles))
    throw new CliError('usage', 'calibrate needs one of --export DIR or --bundles DIR');
  if (!values.out) throw new CliError('usage', 'calibrate needs --out FILE');
  const asOf = values['as-of'] ? new Date(values['as-of']) : new Date();
  if (Number.isNaN(asOf.getTime()))
    throw new CliError('usage', `--as-of: "${values['as-of']}" is not a date`);
  const strength = values.strength === undefined ? DEFAULT_CALIBRATION_STRENGTH : Number(values.strength);
  if (!(strength > 0)) throw new CliError('usage', '--strength must be a positive number');
  const lrStrength =
    values['lr-strength'] === undefined ? DEFAULT_LR_STRENGTH : Number(values['lr-strength']);
  if (!(lrStrength > 0)) throw new CliError('usage', '--lr-strength must be a positive number');

  const spill = mkdtempSync(join(tmpdir(), 'rationale-calibrate-'));
  let patients = 0;
  const cases = new Map<string, number>();
  // Condition id → finding code → its 2×2 table against the problem list.
  const tables = new Map<string, Map<string, TwoByTwo>>();
  try {
    const source = await openSource({ kind: values.export ? 'bulk-export' : 'bundles', dir }, spill);
    for (const unit of source.units) {
      // The Patient's own id: a bundle file's name (Synthea's "Given_Family_uuid.json") is not it.
      const resources = unitResources(unit);
      const patientId = resources.find((r) => r.resourceType === 'Patient')?.id;
      if (!patientId) continue;
      // Read as every adapter of the pipeline reads a record: malformed elements repaired or skipped.
      const { record } = readRecord({ resources, patientId });
      const born = Date.parse(record.patient.birthDate ?? '');
      if (!Number.isFinite(born) || (asOf.getTime() - born) / YEAR_MS < 18) continue;
      patients++;
      const ids = new Set<string>();
      for (const c of record.conditions) {
        if (isRefuted(c)) continue;
        for (const m of matchConditionCodes(c.code?.coding ?? [], DIAGNOSTIC_CONDITION_CODES)) ids.add(m.id);
      }
      for (const id of ids) cases.set(id, (cases.get(id) ?? 0) + 1);
      countFindings(tables, findingStatesFor(record, asOf), ids);
    }
  } finally {
    rmSync(spill, { recursive: true, force: true });
  }
  if (patients === 0) throw new CliError('input', `${dir}: no adult patient to calibrate on`);

  const likelihoodRatios = calibrateLikelihoodRatios(tables, lrStrength);
  const file: CalibrationFile = {
    kind: 'rationale-calibration',
    version: 2,
    createdAt: new Date().toISOString(),
    source: { name: basename(dir), patients },
    strength,
    modelVersion: MODEL_VERSION,
    priors: Object.fromEntries(
      DIAGNOSTIC_KB.conditions.map((c) => [
        c.id,
        calibratePrior(c.prior.value, cases.get(c.id) ?? 0, patients, strength),
      ]),
    ),
    lrStrength,
    minCounts: { cases: MIN_LR_CASES, nonCases: MIN_LR_NON_CASES },
    likelihoodRatios,
  };
  writeFileSync(values.out, `${JSON.stringify(file, null, 2)}\n`);
  const lrs = Object.values(likelihoodRatios).reduce((n, f) => n + Object.keys(f).length, 0);
  io.stdout(
    `${patients} adults; ${cases.size} conditions recorded; ${lrs} findings' likelihood ratios re-estimated; calibration written to ${values.out}\n`,
  );
  return 0;
}

/** Adds one patient's finding states to each condition's tables (unknown states are not counted). */
function countFindings(
  tables: Map<string, Map<string, TwoByTwo>>,
  states: ReadonlyMap<string, string>,
  recorded: ReadonlySet<string>,
): void {
  for (const condition of DIAGNOSTIC_KB.conditions) {
    const isCase = recorded.has(condition.id);
    let byFinding = tables.get(condition.id);
    for (const { finding } of condition.evidence) {
      const state = states.get(finding);
      if (state !== 'present' && state !== 'absent') continue;
      if (!byFinding) tables.set(condition.id, (byFinding = new Map<string, TwoByTwo>()));
      const t = byFinding.get(finding) ?? {
        truePositive: 0,
        falsePositive: 0,
        falseNegative: 0,
        trueNegative: 0,
      };
      if (state === 'present' && isCase) t.truePositive++;
      else if (state === 'present') t.falsePositive++;
      else if (isCase) t.falseNegative++;
      else t.trueNegative++;
      byFinding.set(finding, t);
    }
  }
}

/** Each condition's findings whose tables allow it, calibrated against their published LRs. */
function calibrateLikelihoodRatios(
  tables: ReadonlyMap<string, ReadonlyMap<string, TwoByTwo>>,
  lrStrength: number,
): Record<string, Record<string, FindingCalibration>> {
  const out: Record<string, Record<string, FindingCalibration>> = {};
  for (const condition of DIAGNOSTIC_KB.conditions) {
    const byFinding = tables.get(condition.id);
    for (const evidence of condition.evidence) {
      const counts = byFinding?.get(evidence.finding);
      if (!counts || out[condition.id]?.[evidence.finding]) continue;
      const published = likelihoodRatios(evidence);
      const calibrated = calibrateFinding(counts, published.positive, published.negative, lrStrength);
      if (calibrated) (out[condition.id] ??= {})[evidence.finding] = calibrated;
    }
  }
  return out;
}
