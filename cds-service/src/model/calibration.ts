/**
 * Local recalibration of the knowledge model's priors (issue 16 item 5, DESIGN.md §5a): a site's
 * population gives each condition a local prevalence, which is shrunk toward the published prior
 * with a strength measured in patients (a beta prior centred on the published value), so a small
 * site moves little and a large one moves more. `rationale calibrate` writes the file; the service
 * loads it (configuration `calibrationFile`) and the differential uses the calibrated priors.
 * Pure: counts in, numbers out.
 */
import { z } from 'zod';
import type { CalibratedPrior } from './settings';

/** How many patients the published prior is worth when shrinking toward it. */
export const DEFAULT_CALIBRATION_STRENGTH = 1000;

const probability = z.number().gt(0).lt(1);

export const priorCalibrationSchema = z
  .object({
    /** The knowledge base's overall prior, as published (its citation is in the knowledge base). */
    published: probability,
    /** Adults in the site's data with the condition on the problem list. */
    localCases: z.number().int().nonnegative(),
    localPatients: z.number().int().positive(),
    /** localCases / localPatients, with its Wilson 95% interval. */
    localEstimate: z.number().min(0).max(1),
    interval: z.tuple([z.number().min(0).max(1), z.number().min(0).max(1)]),
    /** (localCases + strength × published) / (localPatients + strength): what the model uses. */
    calibrated: probability,
  })
  .strict();
export type PriorCalibration = z.infer<typeof priorCalibrationSchema>;

export const calibrationFileSchema = z
  .object({
    kind: z.literal('rationale-calibration'),
    version: z.literal(1),
    createdAt: z.string().min(1),
    /** What the estimates came from (a folder name and counts, never patient data). */
    source: z.object({ name: z.string(), patients: z.number().int().nonnegative() }).strict(),
    /** Patients the published prior was worth in the shrinkage. */
    strength: z.number().positive(),
    /** Knowledge-base version whose priors were recalibrated. */
    modelVersion: z.string().min(1),
    priors: z.record(z.string(), priorCalibrationSchema),
  })
  .strict();
export type CalibrationFile = z.infer<typeof calibrationFileSchema>;

/** Wilson score interval (95%) for a proportion: sensible at 0 and at small counts. */
export function wilsonInterval(cases: number, n: number, z95 = 1.959964): [number, number] {
  if (n === 0) return [0, 1];
  const p = cases / n;
  const denom = 1 + (z95 * z95) / n;
  const centre = (p + (z95 * z95) / (2 * n)) / denom;
  const half = (z95 * Math.sqrt((p * (1 - p)) / n + (z95 * z95) / (4 * n * n))) / denom;
  return [Math.max(0, centre - half), Math.min(1, centre + half)];
}

/** A condition's calibrated prior from its local counts, shrunk toward the published prior. */
export function calibratePrior(
  published: number,
  localCases: number,
  localPatients: number,
  strength = DEFAULT_CALIBRATION_STRENGTH,
): PriorCalibration {
  const calibrated = (localCases + strength * published) / (localPatients + strength);
  const round = (x: number) => Number(x.toPrecision(6));
  return {
    published,
    localCases,
    localPatients,
    localEstimate: round(localCases / localPatients),
    interval: wilsonInterval(localCases, localPatients).map(round) as [number, number],
    calibrated: round(Math.min(0.999, Math.max(0.0001, calibrated))),
  };
}

/** The priors the model settings take from a calibration file. */
export function calibratedPriors(file: CalibrationFile): Record<string, CalibratedPrior> {
  return Object.fromEntries(
    Object.entries(file.priors).map(([id, p]) => [
      id,
      {
        calibrated: p.calibrated,
        published: p.published,
        localEstimate: p.localEstimate,
        interval: p.interval,
        localPatients: p.localPatients,
      },
    ]),
  );
}
