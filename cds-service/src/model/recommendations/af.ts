/**
 * Atrial fibrillation: 2023 ACC/AHA/ACCP/HRS guideline. Anticoagulate at CHA2DS2-VASc 2+ (men) or
 * 3+ (women), a DOAC in preference to warfarin except with a mechanical valve or moderate-severe
 * mitral stenosis; aspirin instead of anticoagulation is harmful; a bleeding score alone does not
 * withhold anticoagulation (HAS-BLED is quoted for information only). DOAC doses per FDA labels.
 */
import type { MedicationFact } from '../facts';
import { proposedOrder } from '../knowledge/treatment/orders';
import { threshold } from '../knowledge/treatment/rules';
import { anyPresent, candidate, conditionCheck, pregnancy, type Candidate } from './build';
import {
  conditionState,
  declined,
  findScore,
  fmt,
  labText,
  medsOfClass,
  readLab,
  readScore,
  scoreFindingIds,
  type RuleContext,
} from './context';

interface ApixabanCriteria {
  met: string[];
  missing: string[];
  findingIds: string[];
}

/**
 * Apixaban dose-reduction criteria per the FDA label (2 of: age 80+, weight 60 kg or less,
 * creatinine 1.5 mg/dL or more), weight and creatinine read within `ruleId`'s look-back.
 */
export function apixabanCriteria(ctx: RuleContext, ruleId = 'af-apixaban-dose'): ApixabanCriteria {
  const met: string[] = [];
  const missing: string[] = [];
  const findingIds: string[] = [];
  const age = ctx.facts.ageYears;
  if (age === undefined) missing.push('age');
  else if (age >= threshold('af-apixaban-dose', 'age')) met.push(`age ${age}`);
  const weight = readLab(ctx, ruleId, 'weight');
  if (!weight) missing.push('weight');
  else if (weight.value <= threshold('af-apixaban-dose', 'weight')) {
    met.push(labText('weight', weight, 'kg'));
    findingIds.push(weight.findingId);
  }
  const creatinine = readLab(ctx, ruleId, 'creatinine');
  if (!creatinine) missing.push('serum creatinine');
  else if (creatinine.value >= threshold('af-apixaban-dose', 'creatinine')) {
    met.push(labText('creatinine', creatinine, 'mg/dL'));
    findingIds.push(creatinine.findingId);
  }
  return { met, missing, findingIds };
}

/** AF anticoagulation recommendations. */
export function afRecommendations(ctx: RuleContext): Candidate[] {
  const af = conditionState(ctx, 'af');
  const score = findScore(ctx.scores, 'cha2ds2-vasc');
  const sex = ctx.facts.sex;
  if (!af.present || !score || (sex !== 'male' && sex !== 'female')) return [];
  const limit = threshold('af-anticoagulation', sex === 'female' ? 'scoreWomen' : 'scoreMen');
  const out: Candidate[] = [];
  const oacs = medsOfClass(ctx.facts, 'oral-anticoagulant');
  if (score.value >= limit) {
    const checks = [pregnancy(ctx), conditionCheck(ctx, 'hospice', 'Hospice or palliative care')];
    const hasBled = findScore(ctx.scores, 'has-bled');
    const bleedNote = hasBled
      ? ` HAS-BLED ${fmt(hasBled.value)} is shown for information: a bleeding score alone does not withhold anticoagulation (3: No Benefit).`
      : '';
    const base = `AF; CHA2DS2-VASc ${fmt(score.value)} (${sex}, threshold ${limit}).`;
    const scoreIds = [...af.findingIds, ...scoreFindingIds(score)];
    if (oacs.length === 0 && !anyPresent(checks) && !declined(ctx.facts, ['oral-anticoagulant'])) {
      const valve = conditionState(ctx, 'mechanical-valve');
      const stenosis = conditionState(ctx, 'mitral-stenosis');
      const vkaOnly = valve.present || stenosis.present;
      let orderKey = 'warfarin-5';
      let doseNote = ' Warfarin rather than a DOAC: mechanical valve or mitral stenosis recorded.';
      let complete = af.confirmed;
      let criteriaIds: string[] = [];
      if (!vkaOnly) {
        const c = apixabanCriteria(ctx, 'af-anticoagulation');
        criteriaIds = c.findingIds;
        const reduce = c.met.length >= threshold('af-apixaban-dose', 'criteria');
        orderKey = reduce ? 'apixaban-2.5' : 'apixaban-5';
        doseNote = ` A DOAC is preferred over warfarin (1, A). Apixaban ${reduce ? '2.5' : '5'} mg twice daily: ${
          c.met.length ? `dose-reduction criteria met: ${c.met.join(', ')}` : 'no dose-reduction criteria met'
        }${c.missing.length ? `; not known: ${c.missing.join(', ')} (confirm before dosing)` : ''}.`;
        complete = complete && c.missing.length === 0;
      }
      out.push(
        candidate('af-anticoagulation', {
          title: vkaOnly
            ? 'Start warfarin for stroke prevention in AF'
            : 'Start a DOAC (apixaban) for stroke prevention in AF',
          rationale: `${base} No oral anticoagulant active.${doseNote}${bleedNote}`,
          dataComplete: complete,
          findingIds: [...scoreIds, ...criteriaIds, ...valve.findingIds, ...stenosis.findingIds],
          conditionIds: ['af'],
          contraindicationsChecked: [
            ...checks,
            {
              label: 'Mechanical heart valve (DOAC avoided)',
              present: valve.present,
              findingIds: valve.findingIds,
            },
            {
              label: 'Moderate-severe mitral stenosis (DOAC avoided)',
              present: stenosis.present,
              findingIds: stenosis.findingIds,
            },
          ],
          proposedOrders: [proposedOrder(orderKey)],
          citationIds: vkaOnly ? ['fda-label-warfarin'] : [],
        }),
      );
      const aspirin = medsOfClass(ctx.facts, 'aspirin');
      if (aspirin.length > 0) {
        out.push(
          candidate('af-aspirin-alone', {
            title: 'Do not rely on aspirin for stroke prevention in AF: anticoagulate instead',
            rationale: `${base} On ${aspirin.map((a) => a.display).join(', ')} without an oral anticoagulant; aspirin alone or with clopidogrel instead of anticoagulation is harmful.`,
            dataComplete: af.confirmed,
            findingIds: [...scoreIds, ...aspirin.map((a) => a.findingId)],
            conditionIds: ['af'],
            contraindicationsChecked: checks,
            proposedOrders: [],
          }),
        );
      }
    }
  }
  out.push(...doacDoseChecks(ctx, oacs, af.findingIds));
  return out;
}

function doacDoseChecks(ctx: RuleContext, oacs: MedicationFact[], afIds: string[]): Candidate[] {
  const out: Candidate[] = [];
  const apixaban = oacs.find((m) => m.ingredient === 'apixaban' && m.dailyDoseMg !== undefined);
  if (apixaban?.dailyDoseMg !== undefined) {
    const c = apixabanCriteria(ctx);
    const reduce = c.met.length >= threshold('af-apixaban-dose', 'criteria');
    const reduced = threshold('af-apixaban-dose', 'reducedDailyMg');
    const standard = threshold('af-apixaban-dose', 'standardDailyMg');
    const daily = apixaban.dailyDoseMg;
    if (c.missing.length === 0 && ((reduce && daily > reduced) || (!reduce && daily < standard))) {
      out.push(
        candidate('af-apixaban-dose', {
          title: reduce
            ? 'Reduce apixaban to 2.5 mg twice daily'
            : 'Apixaban is below the label dose: 5 mg twice daily',
          rationale: `On apixaban ${fmt(daily)} mg/day. ${
            reduce
              ? `Dose-reduction criteria met: ${c.met.join(', ')}.`
              : `Fewer than 2 dose-reduction criteria met${c.met.length ? ` (${c.met.join(', ')})` : ''}.`
          }`,
          dataComplete: true,
          findingIds: [...afIds, apixaban.findingId, ...c.findingIds],
          conditionIds: ['af'],
          contraindicationsChecked: [],
          proposedOrders: [proposedOrder(reduce ? 'apixaban-2.5' : 'apixaban-5')],
        }),
      );
    }
  }
  const rivaroxaban = oacs.find((m) => m.ingredient === 'rivaroxaban' && m.dailyDoseMg !== undefined);
  const crcl =
    rivaroxaban?.dailyDoseMg !== undefined
      ? readScore(ctx, 'af-rivaroxaban-dose', ['crcl-cockcroft-gault'], { indication: true })
      : undefined;
  if (rivaroxaban?.dailyDoseMg !== undefined && crcl) {
    const limit = threshold('af-rivaroxaban-dose', 'crcl');
    const reduce = crcl.value <= limit;
    const target = threshold('af-rivaroxaban-dose', reduce ? 'reducedDailyMg' : 'standardDailyMg');
    if (rivaroxaban.dailyDoseMg !== target) {
      out.push(
        candidate('af-rivaroxaban-dose', {
          title: `Adjust rivaroxaban to ${target} mg daily for CrCl ${fmt(crcl.value, 0)} mL/min`,
          rationale: `On rivaroxaban ${fmt(rivaroxaban.dailyDoseMg)} mg/day; Cockcroft-Gault CrCl ${fmt(crcl.value, 0)} mL/min (${reduce ? 'at or below' : 'above'} ${limit}).`,
          dataComplete: true,
          findingIds: [...afIds, rivaroxaban.findingId, ...scoreFindingIds(crcl)],
          conditionIds: ['af'],
          contraindicationsChecked: [],
          proposedOrders: [proposedOrder(reduce ? 'rivaroxaban-15' : 'rivaroxaban-20')],
        }),
      );
    }
  }
  return out;
}
