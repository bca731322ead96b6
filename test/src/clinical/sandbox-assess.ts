/**
 * The sandbox's generated patients and the shared Synthea set, assessed by the one model and
 * rendered into patient-view cards exactly as the service renders them (budget 3, generic profile).
 * Shared by the clinical tests in this folder.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Assessment, Card, PatientRecord } from '@rationale/shared-types';
import { renderCards } from '../../../cds-service/src/cards';
import { loadBundles, recordEnd, recordFromBundle } from '../../../cds-service/src/eval/load';
import { assess } from '../../../cds-service/src/model/assess';
import { DEFAULT_MODEL_SETTINGS } from '../../../cds-service/src/model/settings';
import { generatePatients } from '../../../sandbox/src/patients/generator';

/** The sandbox's reference date; the chart is opened at noon that day. */
export const REFERENCE_DATE = '2026-06-01';
export const CHART_OPENED = new Date(`${REFERENCE_DATE}T12:00:00Z`);

/** ../shared/data/synthea-r4 beside the repository (221 patients), when present. */
export const SYNTHEA_DIR = join(__dirname, '../../../../shared/data/synthea-r4');

export interface Opened {
  id: string;
  assessment: Assessment;
  cards: Card[];
  topics: string[];
}

/** Assesses a record at `now` and renders the patient-view cards. */
export function openChart(id: string, record: PatientRecord, now: Date): Opened {
  const assessment = assess(record, now);
  let n = 0;
  const result = renderCards(assessment, {
    hook: 'patient-view',
    budget: 3,
    profile: 'generic',
    thresholds: { minSuggestedPosterior: DEFAULT_MODEL_SETTINGS.minSuggestedPosterior },
    snoozedTopics: new Set(),
    sourceLabel: 'Rationale',
    newUuid: () => `uuid-${++n}`,
  });
  return {
    id,
    assessment,
    cards: result.cards.map((c) => c.card),
    topics: result.cards.map((c) => c.topic),
  };
}

/** Every sandbox patient's record, by scenario id. */
export function sandboxRecords(): Map<string, PatientRecord> {
  const generated = generatePatients({ seed: 42, referenceDate: REFERENCE_DATE });
  const out = new Map<string, PatientRecord>();
  for (const p of generated.patients) {
    const record = recordFromBundle(p.bundle);
    if (record) out.set(p.id, record);
  }
  return out;
}

/** The shared Synthea records with the time each chart is opened (the eval's: the day after the record ends). */
export function syntheaRecords(): { id: string; record: PatientRecord; now: Date }[] {
  if (!existsSync(SYNTHEA_DIR)) return [];
  return loadBundles(SYNTHEA_DIR).map((b) => ({ id: b.file, record: b.record, now: recordEnd(b.record) }));
}
