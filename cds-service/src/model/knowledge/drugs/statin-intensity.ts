/**
 * Statin intensity by daily dose: 2018 AHA/ACC cholesterol guideline (Grundy et al.), Table 3
 * "High-, moderate-, and low-intensity statin therapy". Simvastatin 80 mg counts as high
 * intensity as in the eCQM High Intensity Statin Therapy value set (2.16.840.1.113883.3.526.3.1572),
 * though the guideline and the label advise against starting it.
 */
import { z } from 'zod';

export type StatinIntensity = 'high' | 'moderate' | 'low';

const statinIntensitySchema = z.object({
  ingredient: z.string(),
  /** Lowest daily dose (mg) that is moderate intensity. */
  moderateFromMg: z.number().positive(),
  /** Lowest daily dose (mg) that is high intensity, where the statin has one. */
  highFromMg: z.number().positive().optional(),
  citationId: z.string(),
});
export type StatinIntensityBand = z.infer<typeof statinIntensitySchema>;

export const STATIN_INTENSITY: readonly StatinIntensityBand[] = Object.freeze(
  z.array(statinIntensitySchema).parse([
    {
      ingredient: 'atorvastatin',
      moderateFromMg: 10,
      highFromMg: 40,
      citationId: 'acc-aha-2018-cholesterol',
    },
    { ingredient: 'rosuvastatin', moderateFromMg: 5, highFromMg: 20, citationId: 'acc-aha-2018-cholesterol' },
    { ingredient: 'simvastatin', moderateFromMg: 20, highFromMg: 80, citationId: 'acc-aha-2018-cholesterol' },
    { ingredient: 'pravastatin', moderateFromMg: 40, citationId: 'acc-aha-2018-cholesterol' },
    { ingredient: 'lovastatin', moderateFromMg: 40, citationId: 'acc-aha-2018-cholesterol' },
    { ingredient: 'fluvastatin', moderateFromMg: 80, citationId: 'acc-aha-2018-cholesterol' },
    { ingredient: 'pitavastatin', moderateFromMg: 1, citationId: 'acc-aha-2018-cholesterol' },
  ]),
);

/**
 * The intensity of a statin at a daily dose, per the 2018 guideline's Table 3; undefined for a
 * drug that is not a statin in the table or an unknown dose.
 */
export function statinIntensity(
  ingredient: string,
  dailyDoseMg: number | undefined,
): StatinIntensity | undefined {
  const band = STATIN_INTENSITY.find((b) => b.ingredient === ingredient.toLowerCase());
  if (!band || dailyDoseMg === undefined || !(dailyDoseMg > 0)) return undefined;
  if (band.highFromMg !== undefined && dailyDoseMg >= band.highFromMg) return 'high';
  if (dailyDoseMg >= band.moderateFromMg) return 'moderate';
  return 'low';
}
