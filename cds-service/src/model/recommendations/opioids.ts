/**
 * Opioids: CDC 2022 guideline. Reassess at 50 MME/day or more and justify or taper at 90 or more
 * (Recommendations 4-5), offer naloxone when overdose risk is raised (Recommendation 8), caution
 * with benzodiazepines (Recommendation 11). Outside the guideline's scope (sickle cell disease,
 * cancer-related pain, palliative and end-of-life care) nothing is recommended.
 */
import { proposedOrder } from '../knowledge/treatment/orders';
import { threshold } from '../knowledge/treatment/rules';
import { mmeScore } from '../scores/mme';
import { anyPresent, candidate, conditionCheck, type Candidate } from './build';
import { conditionState, findScore, fmt, medsOfClass, scoreFindingIds, type RuleContext } from './context';

export function opioidRecommendations(ctx: RuleContext): Candidate[] {
  const opioids = medsOfClass(ctx.facts, 'opioid');
  if (opioids.length === 0) return [];
  const checks = [
    conditionCheck(ctx, 'sickle-cell', 'Sickle cell disease'),
    conditionCheck(ctx, 'active-cancer', 'Active cancer'),
    conditionCheck(ctx, 'hospice', 'Hospice, palliative or end-of-life care'),
  ];
  if (anyPresent(checks)) return [];
  const out: Candidate[] = [];
  const mme = findScore(ctx.scores, 'mme-daily') ?? mmeScore(ctx.facts);
  const mmeValue = mme?.value ?? 0;
  const mmeIds = mme ? scoreFindingIds(mme) : opioids.map((o) => o.findingId);
  const low = threshold('opioid-high-dose', 'mme');
  const high = threshold('opioid-high-dose', 'mmeHigh');
  const opioidText = opioids.map((o) => o.display).join(', ');

  if (mmeValue >= low) {
    out.push(
      candidate('opioid-high-dose', {
        title:
          mmeValue >= high
            ? `Opioid dose ${fmt(mmeValue)} MME/day (90 or more): justify or taper`
            : `Opioid dose ${fmt(mmeValue)} MME/day (50 or more): reassess benefits and risks`,
        rationale: `${opioidText}; total ${fmt(mmeValue)} MME/day (CDC 2022 conversion factors). ${
          mmeValue >= high
            ? `At ${high} MME/day or more, document the justification and discuss tapering.`
            : `At ${low} MME/day or more, reassess benefits and risks before any increase.`
        }`,
        dataComplete: !(mme?.interpretation.includes('incomplete') ?? true),
        findingIds: mmeIds,
        conditionIds: [],
        contraindicationsChecked: checks,
        proposedOrders: [],
      }),
    );
  }

  const benzos = medsOfClass(ctx.facts, 'benzodiazepine');
  const oud = conditionState(ctx, 'opioid-use-disorder');
  const naloxone = medsOfClass(ctx.facts, 'opioid-antagonist');
  const age = ctx.facts.ageYears;
  const risks = [
    mmeValue >= threshold('opioid-naloxone', 'mme') ? `${fmt(mmeValue)} MME/day` : '',
    benzos.length ? 'a benzodiazepine' : '',
    oud.present ? 'opioid use disorder' : '',
  ].filter(Boolean);
  if (
    naloxone.length === 0 &&
    risks.length > 0 &&
    age !== undefined &&
    age >= threshold('opioid-naloxone', 'minAge')
  ) {
    out.push(
      candidate('opioid-naloxone', {
        title: 'Offer naloxone',
        rationale: `${opioidText} with ${risks.join(', ')}; no naloxone on the medication list.`,
        dataComplete: true,
        findingIds: [...mmeIds, ...benzos.map((b) => b.findingId), ...oud.findingIds],
        conditionIds: oud.present ? ['opioid-use-disorder'] : [],
        contraindicationsChecked: checks,
        proposedOrders: [proposedOrder('naloxone-nasal-4')],
      }),
    );
  }

  if (benzos.length > 0) {
    out.push(
      candidate('opioid-benzodiazepine', {
        title: 'Opioid with a benzodiazepine: weigh tapering one',
        rationale: `${opioidText} together with ${benzos.map((b) => b.display).join(', ')}; the combination raises the risk of fatal respiratory depression.`,
        dataComplete: true,
        findingIds: [...opioids.map((o) => o.findingId), ...benzos.map((b) => b.findingId)],
        conditionIds: [],
        contraindicationsChecked: checks,
        proposedOrders: [],
      }),
    );
  }
  return out;
}
