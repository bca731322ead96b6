/**
 * Leave-the-diagnosis-out evaluation: for each record, remove the recorded Conditions of the target
 * conditions, assess what remains, and check whether the model suggests them back.
 */
import type { Assessment, PatientRecord } from '@rationale/shared-types';
import { renderCards } from '../cards';
import { assess } from '../model/assess';
import { DIAGNOSTIC_CONDITION_CODES, matchConditionCodes } from '../model/knowledge/condition-index';
import { DEFAULT_MODEL_SETTINGS } from '../model/settings';
import { recordEnd } from './load';
import { REFERENCE_CRITERIA } from './reference';

export const HEADLINE_CONDITIONS = ['t2d', 'htn', 'ckd', 'hyperlipidemia'] as const;

export interface ConditionCounts {
  conditionId: string;
  recorded: number;
  suggestedBack: number;
  /** Suggested although not recorded. */
  suggestedUnrecorded: number;
  /** Reference (data-supported) counts; undefined when the condition has no reference check. */
  supported?: {
    recordedSupported: number;
    suggestedBackSupported: number;
    /** Suggested among records that are neither recorded nor data-supported: false positives. */
    suggestedNeither: number;
    unrecordedSupported: number;
    suggestedUnrecordedSupported: number;
  };
}

export interface EvalResult {
  patients: number;
  conditions: ConditionCounts[];
  cardsPerPatientView: number | null;
  recommendations: { total: number; byKind: Record<string, number>; byRule: Record<string, number> };
}

const TARGET_IDS = new Set(DIAGNOSTIC_CONDITION_CODES.map((s) => s.id));

function stripTargets(record: PatientRecord): { stripped: PatientRecord; recorded: Set<string> } {
  const recorded = new Set<string>();
  const conditions = record.conditions.filter((c) => {
    const status = c.clinicalStatus?.coding?.[0]?.code;
    const matches = matchConditionCodes(c.code?.coding ?? [], DIAGNOSTIC_CONDITION_CODES).filter((m) =>
      TARGET_IDS.has(m.id),
    );
    if (!matches.length) return true;
    if (!status || status === 'active' || status === 'recurrence' || status === 'relapse')
      matches.forEach((m) => recorded.add(m.id));
    return false;
  });
  return { stripped: { ...record, conditions }, recorded };
}

/** Runs the evaluation over records; deterministic for a given input. */
export function evaluate(records: ReadonlyArray<{ record: PatientRecord }>): EvalResult {
  const counts = new Map<string, ConditionCounts>();
  const get = (id: string) => {
    let c = counts.get(id);
    if (!c) {
      c = { conditionId: id, recorded: 0, suggestedBack: 0, suggestedUnrecorded: 0 };
      if (REFERENCE_CRITERIA[id])
        c.supported = {
          recordedSupported: 0,
          suggestedBackSupported: 0,
          suggestedNeither: 0,
          unrecordedSupported: 0,
          suggestedUnrecordedSupported: 0,
        };
      counts.set(id, c);
    }
    return c;
  };
  for (const id of [...HEADLINE_CONDITIONS, ...Object.keys(REFERENCE_CRITERIA)]) get(id);
  let cards = 0;
  let cardsAvailable = true;
  const byKind: Record<string, number> = {};
  const byRule: Record<string, number> = {};
  let recommendationTotal = 0;
  for (const { record } of records) {
    const now = recordEnd(record);
    const full: Assessment = assess(record, now, DEFAULT_MODEL_SETTINGS);
    for (const r of full.recommendations) {
      recommendationTotal++;
      byKind[r.kind] = (byKind[r.kind] ?? 0) + 1;
      byRule[r.ruleId] = (byRule[r.ruleId] ?? 0) + 1;
    }
    try {
      let n = 0;
      const result = renderCards(full, {
        hook: 'patient-view',
        budget: 3,
        profile: 'generic',
        thresholds: { minSuggestedPosterior: DEFAULT_MODEL_SETTINGS.minSuggestedPosterior },
        snoozedTopics: new Set(),
        sourceLabel: 'Rationale',
        newUuid: () => `uuid-${++n}`,
      });
      cards += result.cards.length;
    } catch {
      cardsAvailable = false;
    }
    const { stripped, recorded } = stripTargets(record);
    const a = assess(stripped, now, DEFAULT_MODEL_SETTINGS);
    const suggested = new Set(a.hypotheses.filter((h) => h.status === 'suggested').map((h) => h.conditionId));
    const ids = new Set([...recorded, ...suggested, ...counts.keys()]);
    for (const id of ids) {
      if (!TARGET_IDS.has(id)) continue;
      const c = get(id);
      const isRecorded = recorded.has(id);
      const isSuggested = suggested.has(id);
      if (isRecorded) c.recorded++;
      if (isRecorded && isSuggested) c.suggestedBack++;
      if (!isRecorded && isSuggested) c.suggestedUnrecorded++;
      const check = REFERENCE_CRITERIA[id];
      if (check && c.supported) {
        const supported = check(record, now);
        if (isRecorded && supported) {
          c.supported.recordedSupported++;
          if (isSuggested) c.supported.suggestedBackSupported++;
        }
        if (!isRecorded && supported) {
          c.supported.unrecordedSupported++;
          if (isSuggested) c.supported.suggestedUnrecordedSupported++;
        }
        if (!isRecorded && !supported && isSuggested) c.supported.suggestedNeither++;
      }
    }
  }
  const conditions = [...counts.values()].sort((a, b) => {
    const ha = (HEADLINE_CONDITIONS as readonly string[]).indexOf(a.conditionId);
    const hb = (HEADLINE_CONDITIONS as readonly string[]).indexOf(b.conditionId);
    if (ha !== hb) return (ha < 0 ? 99 : ha) - (hb < 0 ? 99 : hb);
    return a.conditionId < b.conditionId ? -1 : 1;
  });
  return {
    patients: records.length,
    conditions,
    cardsPerPatientView: cardsAvailable && records.length ? cards / records.length : null,
    recommendations: { total: recommendationTotal, byKind, byRule },
  };
}

const ratio = (num: number, den: number) => (den === 0 ? 'n/a' : `${(num / den).toFixed(2)} (${num}/${den})`);

/** The result as a markdown report. */
export function toMarkdown(result: EvalResult): string {
  const lines = [
    `Patients: ${result.patients}`,
    '',
    '(a) Against recorded conditions whose data meet the guideline criteria. Sensitivity: suggested back / recorded and data-supported. PPV: suggested back / (suggested back + suggested where neither recorded nor data-supported). Unrecorded but data-supported records (possibly undiagnosed) are counted separately.',
    '',
    '| condition | recorded & supported | sensitivity (a) | PPV (a) | unrecorded & supported: suggested |',
    '|---|---|---|---|---|',
  ];
  for (const c of result.conditions) {
    if (!c.supported) continue;
    const s = c.supported;
    lines.push(
      `| ${c.conditionId} | ${s.recordedSupported} | ${ratio(s.suggestedBackSupported, s.recordedSupported)} | ${ratio(s.suggestedBackSupported, s.suggestedBackSupported + s.suggestedNeither)} | ${s.suggestedUnrecordedSupported}/${s.unrecordedSupported} |`,
    );
  }
  lines.push(
    '',
    '(b) Against all recorded conditions. Sensitivity: suggested back / recorded. PPV: suggested back / all suggested.',
    '',
    '| condition | recorded | sensitivity (b) | PPV (b) | suggested, not recorded |',
    '|---|---|---|---|---|',
  );
  for (const c of result.conditions) {
    if (c.recorded === 0 && c.suggestedUnrecorded === 0) continue;
    lines.push(
      `| ${c.conditionId} | ${c.recorded} | ${ratio(c.suggestedBack, c.recorded)} | ${ratio(c.suggestedBack, c.suggestedBack + c.suggestedUnrecorded)} | ${c.suggestedUnrecorded} |`,
    );
  }
  lines.push(
    '',
    `Mean cards per patient-view (full record, budget 3): ${result.cardsPerPatientView === null ? 'n/a' : result.cardsPerPatientView.toFixed(2)}`,
  );
  lines.push(
    `Recommendations: ${result.recommendations.total} (${Object.entries(result.recommendations.byKind)
      .sort()
      .map(([k, v]) => `${k} ${v}`)
      .join(', ')})`,
  );
  const rules = Object.entries(result.recommendations.byRule).sort(([, a], [, b]) => b - a);
  if (rules.length)
    lines.push('', '| rule | count |', '|---|---|', ...rules.map(([r, n]) => `| ${r} | ${n} |`));
  return lines.join('\n');
}
