/**
 * Order safety for order-select / order-sign (DESIGN.md §3): drug-allergy, drug-renal function,
 * drug-drug interactions, drug-condition, duplicate therapy, pregnancy and dose limits, each alert
 * with the cited source's severity and a safer alternative where one exists. Pure and
 * deterministic. With `record.selections` (order-select) only the selected drafts are checked;
 * the other drafts and the active medications count as co-medications.
 */
import type { PatientRecord, SafetyAlert, Score, StaleInput } from '@rationale/shared-types';
import type { LabValue, PatientFacts } from '../facts';
import { ALLERGY_GROUPS } from '../knowledge/drugs';
import { proposedOrder } from '../knowledge/treatment/orders';
import {
  ALLERGY_CROSS_REACTIVITY,
  CONDITION_RULES,
  DOSE_LIMITS,
  DRUG_INTERACTIONS,
  DUPLICATE_GROUPS,
  HYPERKALEMIA_RULES,
  OLDER_ADULT_RULES,
  PREGNANCY_RULES,
  RENAL_DOSE_BANDS,
  RENAL_RULES,
} from '../knowledge/treatment/safety-tables';
import type { DrugSelector, RenalDoseBand, RenalRule, SafetyLookBack } from '../knowledge/treatment/schema';
import { threshold } from '../knowledge/treatment/rules';
import { apixabanCriteria } from '../recommendations/af';
import { EGFR_UNIT, type RuleContext } from '../recommendations/context';
import { ckdEpi2021, cockcroftGault } from '../scores/simple';
import { DEFAULT_MODEL_SETTINGS } from '../settings';
import { draftDrugs, type DraftDrug } from './drafts';

interface CoMedication {
  key: string;
  label: string;
  classes: string[];
  ingredients: string[];
  findingIds: string[];
}

export interface Measure {
  /** As the alert names it: "eGFR", "CrCl". */
  name: string;
  value: number;
  label: string;
  findingIds: string[];
  /** The dated values the measure rests on (a reported eGFR; the creatinine and weight it came from). */
  basis: Array<{ lab: LabValue; label: string }>;
}

const MS_PER_MONTH = 86_400_000 * 30.44;
const MS_PER_DAY = 86_400_000;

/** The value as a StaleInput: older than the check's look-back, treated as missing. */
function staleInput(lab: LabValue, label: string, lookBack: SafetyLookBack): StaleInput {
  return {
    analyte: lab.analyte,
    label,
    value: lab.value,
    ...(lab.unit ? { unit: lab.unit } : {}),
    date: lab.date,
    lookBackMonths: lookBack.months ?? Math.round(((lookBack.days ?? 0) / 30.44) * 10) / 10,
    ...(lookBack.days ? { lookBackDays: lookBack.days } : {}),
    findingId: lab.findingId,
    citationIds: lookBack.citationIds,
  };
}

/** True when the value is older than the look-back (treated as missing). */
function isStale(date: string, lookBack: SafetyLookBack, now: Date): boolean {
  const age = now.getTime() - Date.parse(date);
  return lookBack.days !== undefined
    ? age > lookBack.days * MS_PER_DAY
    : age > (lookBack.months ?? 0) * MS_PER_MONTH;
}

/** The values a measure rests on that are older than the check's look-back, as StaleInputs. */
function staleOf(m: Measure, lookBack: SafetyLookBack, now: Date): StaleInput[] {
  return m.basis
    .filter((b) => isStale(b.lab.date, lookBack, now))
    .map((b) => staleInput(b.lab, b.label, lookBack));
}

/**
 * A check that would have fired on a value older than its look-back: the value is treated as
 * missing, so the alert asks for a current one and names the value set aside, instead of claiming
 * a contraindication or a dose (issue 13, fresh data wins).
 */
function notCurrentAlert(
  draft: DraftDrug,
  a: {
    ruleId: string;
    idSuffix: string;
    type: SafetyAlert['type'];
    severity: SafetyAlert['severity'];
    name: string;
    wouldBe: string;
    findingIds: string[];
    citationIds: string[];
    stale: StaleInput[];
  },
): SafetyAlert {
  return alertFor(draft, {
    ruleId: a.ruleId,
    idSuffix: a.idSuffix,
    type: a.type,
    severity: a.severity,
    contraindicated: false,
    title: `No current ${a.name} for ${draft.label}`,
    detail: `At that value: ${a.wouldBe}. Obtain a current ${a.name} before ordering.`,
    findingIds: a.findingIds,
    citationIds: unique([...a.stale.flatMap((x) => x.citationIds), ...a.citationIds]),
    staleInputs: a.stale,
  });
}

/**
 * The renal threshold and renal dose-band checks' one "not current" alert: when a value the
 * kidney-function measure rests on is older than the check's look-back, the measure is treated as
 * missing and the alert asks for a current one (rule id `renal-function-not-current`, suffixed
 * with the check's id); undefined when every value is within the look-back.
 */
export function renalNotCurrentAlert(
  draft: DraftDrug,
  m: Measure,
  check: Pick<RenalRule | RenalDoseBand, 'id' | 'severity' | 'citationIds' | 'lookBack'>,
  wouldBe: string,
  now: Date,
): SafetyAlert | undefined {
  const stale = staleOf(m, check.lookBack, now);
  if (stale.length === 0) return undefined;
  return notCurrentAlert(draft, {
    ruleId: 'renal-function-not-current',
    idSuffix: check.id,
    type: 'drug-renal',
    severity: check.severity,
    name: m.name,
    wouldBe,
    findingIds: m.findingIds,
    citationIds: check.citationIds,
    stale,
  });
}

const SEVERITY_ORDER = { high: 0, moderate: 1, low: 2 } as const;

function matches(selector: DrugSelector, drug: { classes: string[]; ingredients: string[] }): boolean {
  return (
    (selector.classes ?? []).some((c) => drug.classes.includes(c)) ||
    (selector.ingredients ?? []).some((i) => drug.ingredients.includes(i))
  );
}

function alertFor(
  draft: DraftDrug,
  a: Omit<SafetyAlert, 'order' | 'id'> & { idSuffix?: string; alternativeKey?: string },
): SafetyAlert {
  const { idSuffix, alternativeKey, ...rest } = a;
  return {
    ...rest,
    id: `${a.ruleId}:${draft.reference}${idSuffix ? `:${idSuffix}` : ''}`,
    order: { reference: draft.reference, label: draft.label, ...(draft.code ? { code: draft.code } : {}) },
    findingIds: [...new Set(a.findingIds)],
    ...(alternativeKey ? { alternative: proposedOrder(alternativeKey) } : {}),
  };
}

const adultSex = (facts: PatientFacts): 'female' | 'male' | undefined =>
  facts.ageYears !== undefined && facts.ageYears >= 18 && (facts.sex === 'female' || facts.sex === 'male')
    ? facts.sex
    : undefined;

/**
 * eGFR from the newest values whatever their age (each check then applies its look-back): the
 * newest reported eGFR, or CKD-EPI 2021 from a creatinine newer than it (fresh data wins).
 */
function egfrMeasure(facts: PatientFacts): Measure | undefined {
  const lab = facts.labs.get('egfr')?.[0];
  const creatinine = facts.labs.get('creatinine')?.[0];
  const sex = adultSex(facts);
  const computed =
    creatinine && sex && facts.ageYears !== undefined
      ? Number(ckdEpi2021(creatinine.value, facts.ageYears, sex).toFixed(0))
      : undefined;
  const fromCreatinine = (label: string): Measure | undefined =>
    creatinine && computed !== undefined
      ? {
          name: 'eGFR',
          value: computed,
          label,
          findingIds: [creatinine.findingId, 'patient-age', 'patient-sex'],
          basis: [{ lab: creatinine, label: 'creatinine (for eGFR)' }],
        }
      : undefined;
  if (lab && creatinine && computed !== undefined && creatinine.date > lab.date)
    return fromCreatinine(
      `eGFR ${computed} ${EGFR_UNIT} (CKD-EPI 2021 from creatinine ${creatinine.date.slice(0, 10)}, newer than the reported eGFR of ${lab.date.slice(0, 10)})`,
    );
  if (lab)
    return {
      name: 'eGFR',
      value: lab.value,
      label: `eGFR ${lab.value} ${EGFR_UNIT} (${lab.date.slice(0, 10)})`,
      findingIds: [lab.findingId],
      basis: [{ lab, label: 'eGFR' }],
    };
  return fromCreatinine(`eGFR ${computed} ${EGFR_UNIT} (CKD-EPI 2021)`);
}

/**
 * CrCl by Cockcroft-Gault from the newest creatinine and weight; when it cannot be computed, eGFR
 * stands in (stated in the alert).
 */
function crclMeasure(facts: PatientFacts): Measure | undefined {
  const creatinine = facts.labs.get('creatinine')?.[0];
  const weight = facts.labs.get('weight')?.[0];
  const sex = adultSex(facts);
  if (creatinine && weight && sex && facts.ageYears !== undefined) {
    const value = Number(cockcroftGault(facts.ageYears, weight.value, creatinine.value, sex).toFixed(0));
    return {
      name: 'CrCl',
      value,
      label: `CrCl ${value} mL/min (Cockcroft-Gault)`,
      findingIds: ['patient-age', weight.findingId, creatinine.findingId, 'patient-sex'],
      basis: [
        { lab: creatinine, label: 'creatinine (for CrCl)' },
        { lab: weight, label: 'weight (for CrCl)' },
      ],
    };
  }
  const e = egfrMeasure(facts);
  return e ? { ...e, label: `${e.label}, used in place of CrCl` } : undefined;
}

const unique = (xs: string[]): string[] => [...new Set(xs)];

function hasCondition(facts: PatientFacts, id: string): string[] | undefined {
  const found = facts.recordedConditions.get(id);
  return found && found.length > 0 ? found.map((f) => f.id) : undefined;
}

/** Safety alerts for the draft orders in the record, most severe first, stable ids and order. */
export function checkOrderSafety(facts: PatientFacts, record: PatientRecord, scores: Score[]): SafetyAlert[] {
  const drafts = draftDrugs(record);
  const targets =
    record.selections.length > 0 ? drafts.filter((d) => record.selections.includes(d.reference)) : drafts;
  if (targets.length === 0) return [];
  const active: CoMedication[] = facts.medications.map((m) => ({
    key: m.findingId,
    label: m.display,
    classes: m.classes,
    ingredients: m.ingredient.split(' / '),
    findingIds: [m.findingId],
  }));
  const egfr = egfrMeasure(facts);
  const crcl = crclMeasure(facts);
  const alerts = new Map<string, SafetyAlert>();
  const seenPairs = new Set<string>();
  const add = (alert: SafetyAlert) => alerts.set(alert.id, alert);

  for (const draft of targets) {
    const others: CoMedication[] = [
      ...active,
      ...drafts
        .filter((o) => o.reference !== draft.reference)
        .map((o) => ({
          key: o.reference,
          label: o.label,
          classes: o.classes,
          ingredients: o.ingredients,
          findingIds: [],
        })),
    ];

    // Drug-allergy.
    for (const allergy of facts.allergies) {
      const direct = allergy.ingredients.find((i) => draft.ingredients.includes(i));
      const shared = allergy.classes.filter(
        (c) => (ALLERGY_GROUPS as readonly string[]).includes(c) && draft.classes.includes(c),
      );
      if (direct || shared.length > 0) {
        add(
          alertFor(draft, {
            ruleId: direct ? 'allergy-ingredient' : `allergy-class-${shared[0]}`,
            idSuffix: allergy.findingId,
            type: 'drug-allergy',
            severity: 'high',
            contraindicated: direct !== undefined || allergy.criticality === 'high',
            title: direct
              ? `Allergy recorded to ${direct}`
              : `Allergy recorded to the ${shared[0]} class (${allergy.substance})`,
            detail: `${draft.label} ${direct ? 'is' : 'belongs to a class'} the patient is recorded as allergic to (${allergy.substance}${
              allergy.criticality ? `, criticality ${allergy.criticality}` : ''
            }). Consider allergy evaluation and delabeling where the history is low risk.`,
            findingIds: [allergy.findingId],
            citationIds: ['aaaai-acaai-2022-drug-allergy'],
          }),
        );
        continue;
      }
      for (const x of ALLERGY_CROSS_REACTIVITY) {
        if (!allergy.classes.includes(x.allergyClass) || !draft.classes.includes(x.drugClass)) continue;
        if (x.risk === 'none' || allergy.criticality !== 'high') continue;
        add(
          alertFor(draft, {
            ruleId: x.id,
            idSuffix: allergy.findingId,
            type: 'drug-allergy',
            severity: x.severity,
            contraindicated: false,
            title: `High-criticality ${x.allergyClass} allergy: ${x.drugClass} cross-reactivity is low`,
            detail: x.detail,
            findingIds: [allergy.findingId],
            citationIds: x.citationIds,
            ...(x.alternative ? { alternativeKey: x.alternative } : {}),
          }),
        );
      }
    }

    // Drug-renal: thresholds.
    for (const r of RENAL_RULES) {
      if (!matches(r.drug, draft)) continue;
      const m = r.measure === 'egfr' ? egfr : crcl;
      if (!m) continue;
      if (r.below && !(m.value < r.below.value)) continue;
      if (r.atLeast && !(m.value >= r.atLeast.value)) continue;
      // "Do not start" applies to a new start, not to the renewal of a drug already taken.
      if (r.id === 'renal-metformin-egfr-45' && active.some((o) => o.classes.includes('biguanide'))) continue;
      // Older than the rule's look-back: treated as missing; the alert asks for a current value.
      const notCurrent = renalNotCurrentAlert(draft, m, r, r.title, facts.now);
      if (notCurrent) {
        add(notCurrent);
        continue;
      }
      add(
        alertFor(draft, {
          ruleId: r.id,
          type: 'drug-renal',
          severity: r.severity,
          contraindicated: r.contraindicated,
          title: r.title,
          detail: `${r.detail} Patient: ${m.label}.`,
          findingIds: m.findingIds,
          citationIds: r.citationIds,
          ...(r.alternative ? { alternativeKey: r.alternative } : {}),
        }),
      );
    }

    // Drug-renal: dose bands.
    for (const band of RENAL_DOSE_BANDS) {
      if (!draft.ingredients.includes(band.ingredient) || draft.dailyDoseMg === undefined) continue;
      if (band.id === 'renal-rivaroxaban-af-dose' && !hasCondition(facts, 'af')) continue;
      const m = band.measure === 'egfr' ? egfr : crcl;
      if (!m) continue;
      const limit = band.bands.find((b) => m.value >= b.from);
      if (!limit || draft.dailyDoseMg <= limit.maxDailyMg) continue;
      const notCurrent = renalNotCurrentAlert(
        draft,
        m,
        band,
        `${band.ingredient} ${draft.dailyDoseMg} mg/day would exceed the renal maximum of ${limit.maxDailyMg} mg/day`,
        facts.now,
      );
      if (notCurrent) {
        add(notCurrent);
        continue;
      }
      add(
        alertFor(draft, {
          ruleId: band.id,
          type: 'drug-renal',
          severity: band.severity,
          contraindicated: false,
          title: `${band.ingredient} ${draft.dailyDoseMg} mg/day exceeds the renal maximum of ${limit.maxDailyMg} mg/day`,
          detail: `The label limits ${band.ingredient} to ${limit.maxDailyMg} mg/day at this kidney function. Patient: ${m.label}.`,
          findingIds: m.findingIds,
          citationIds: band.citationIds,
          ...(band.ingredient === 'rivaroxaban' ? { alternativeKey: 'rivaroxaban-15' } : {}),
        }),
      );
    }

    // Apixaban dose-reduction criteria (FDA label).
    if (
      draft.ingredients.includes('apixaban') &&
      draft.dailyDoseMg !== undefined &&
      hasCondition(facts, 'af')
    ) {
      const ctx: RuleContext = { facts, scores, hypotheses: [], settings: DEFAULT_MODEL_SETTINGS };
      const c = apixabanCriteria(ctx);
      const needed = threshold('af-apixaban-dose', 'criteria');
      const aboveReduced = draft.dailyDoseMg > threshold('af-apixaban-dose', 'reducedDailyMg');
      // Weight and creatinine within their look-backs (look-backs.ts); met only on older values:
      // treated as missing, and the alert asks for current ones.
      const staleReads = new Map<string, StaleInput[]>();
      const withOld =
        aboveReduced && c.met.length < needed
          ? apixabanCriteria({ ...ctx, staleReads, acceptStale: true })
          : undefined;
      if (withOld && withOld.met.length >= needed) {
        add(
          notCurrentAlert(draft, {
            ruleId: 'dose-criteria-not-current',
            idSuffix: 'af-apixaban-dose',
            type: 'drug-renal',
            severity: 'moderate',
            name: 'weight and creatinine',
            wouldBe: `apixaban dose-reduction criteria met (${withOld.met.join(', ')}): 2.5 mg twice daily`,
            findingIds: withOld.findingIds,
            citationIds: ['fda-label-apixaban'],
            stale: staleReads.get('af-apixaban-dose') ?? [],
          }),
        );
      }
      if (c.met.length >= needed && aboveReduced) {
        add(
          alertFor(draft, {
            ruleId: 'af-apixaban-dose',
            type: 'drug-renal',
            severity: 'moderate',
            contraindicated: false,
            title: 'Apixaban dose: 2.5 mg twice daily meets the label criteria',
            detail: `Dose-reduction criteria met (2 of age 80+, weight 60 kg or less, creatinine 1.5 mg/dL or more): ${c.met.join(', ')}.`,
            findingIds: c.findingIds,
            citationIds: ['fda-label-apixaban'],
            alternativeKey: 'apixaban-2.5',
          }),
        );
      }
    }

    // Drug-drug interactions.
    for (const r of DRUG_INTERACTIONS) {
      // An eGFR below the bound but older than the look-back is treated as missing (CKD recorded still counts).
      let staleRenal: StaleInput[] = [];
      if (r.requiresRenalImpairmentBelow) {
        const ckd = hasCondition(facts, 'ckd') !== undefined;
        const low = egfr !== undefined && egfr.value < r.requiresRenalImpairmentBelow.value;
        if (!ckd && !low) continue;
        if (!ckd && egfr && r.renalLookBack) staleRenal = staleOf(egfr, r.renalLookBack, facts.now);
      }
      for (const other of others) {
        const asA = matches(r.a, draft) && matches(r.b, other);
        const asB = matches(r.b, draft) && matches(r.a, other);
        if (!asA && !asB) continue;
        if (other.ingredients.some((i) => draft.ingredients.includes(i))) continue;
        const pair = `${r.id}|${[draft.reference, other.key].sort().join('|')}`;
        if (seenPairs.has(pair)) continue;
        seenPairs.add(pair);
        if (staleRenal.length > 0 && egfr) {
          add(
            notCurrentAlert(draft, {
              ruleId: 'renal-function-not-current',
              idSuffix: `${r.id}:${other.key}`,
              type: 'drug-drug',
              severity: r.severity,
              name: egfr.name,
              wouldBe: `${r.title} (with ${other.label})`,
              findingIds: [...other.findingIds, ...egfr.findingIds],
              citationIds: r.citationIds,
              stale: staleRenal,
            }),
          );
          continue;
        }
        const alternativeKey = asA ? r.alternativeForA : r.alternativeForB;
        add(
          alertFor(draft, {
            ruleId: r.id,
            idSuffix: other.key,
            type: 'drug-drug',
            severity: r.severity,
            contraindicated: r.contraindicated,
            title: r.title,
            detail: `${draft.label} with ${other.label}. ${r.detail}`,
            findingIds: [
              ...other.findingIds,
              ...(r.requiresRenalImpairmentBelow && egfr ? egfr.findingIds : []),
            ],
            citationIds: r.citationIds,
            ...(alternativeKey ? { alternativeKey } : {}),
          }),
        );
      }
    }

    // Drug-condition.
    for (const r of CONDITION_RULES) {
      if (!matches(r.drug, draft)) continue;
      const found = r.conditionIds.map((id) => hasCondition(facts, id)).find((x) => x !== undefined);
      if (!found) continue;
      add(
        alertFor(draft, {
          ruleId: r.id,
          type: 'drug-condition',
          severity: r.severity,
          contraindicated: r.contraindicated,
          title: r.title,
          detail: `${draft.label}: ${r.detail}`,
          findingIds: found,
          citationIds: r.citationIds,
          ...(r.alternative ? { alternativeKey: r.alternative } : {}),
        }),
      );
    }

    // Duplicate therapy (same exclusive class, different ingredient); pairs already flagged as an interaction are skipped.
    for (const g of DUPLICATE_GROUPS) {
      if (!g.classes.some((c) => draft.classes.includes(c))) continue;
      for (const other of others) {
        if (!g.classes.some((c) => other.classes.includes(c))) continue;
        if (other.ingredients.some((i) => draft.ingredients.includes(i))) continue;
        const pairKey = [draft.reference, other.key].sort().join('|');
        if ([...seenPairs].some((p) => p.endsWith(`|${pairKey}`))) continue;
        const pair = `${g.id}|${pairKey}`;
        if (seenPairs.has(pair)) continue;
        seenPairs.add(pair);
        add(
          alertFor(draft, {
            ruleId: g.id,
            idSuffix: other.key,
            type: 'duplicate-therapy',
            severity: g.severity,
            contraindicated: false,
            title: `Duplicate therapy: ${g.label}`,
            detail: `${draft.label} with ${other.label}. ${g.detail}`,
            findingIds: other.findingIds,
            citationIds: g.citationIds,
          }),
        );
      }
    }

    // Pregnancy.
    if (facts.pregnant) {
      const pregnancyIds = facts.findings
        .filter((f) => f.kind === 'pregnancy' || f.code === 'pregnancy')
        .map((f) => f.id);
      for (const r of PREGNANCY_RULES) {
        if (!matches(r.drug, draft)) continue;
        const excepted = (r.exceptConditionIds ?? []).some((id) => hasCondition(facts, id));
        add(
          alertFor(draft, {
            ruleId: r.id,
            type: 'pregnancy',
            severity: excepted ? 'moderate' : r.severity,
            contraindicated: r.contraindicated && !excepted,
            title: r.title,
            detail: `${draft.label}: ${r.detail}`,
            findingIds: pregnancyIds,
            citationIds: r.citationIds,
            ...(r.alternative ? { alternativeKey: r.alternative } : {}),
          }),
        );
      }
    }

    // Older adults: AGS Beers 2023 "avoid".
    for (const r of OLDER_ADULT_RULES) {
      if (!matches(r.drug, draft) || facts.ageYears === undefined || facts.ageYears < r.fromAge.value)
        continue;
      add(
        alertFor(draft, {
          ruleId: r.id,
          type: 'older-adult',
          severity: r.severity,
          contraindicated: false,
          title: r.title,
          detail: `${draft.label}, age ${facts.ageYears}: ${r.detail}`,
          findingIds: ['patient-age'],
          citationIds: r.citationIds,
          ...(r.alternative ? { alternativeKey: r.alternative } : {}),
        }),
      );
    }

    // Potassium-raising drugs when the newest potassium is high (the newest value decides).
    const potassium = facts.labs.get('potassium')?.[0];
    for (const r of HYPERKALEMIA_RULES) {
      if (!potassium || !matches(r.drug, draft) || potassium.value <= r.above.value) continue;
      if (isStale(potassium.date, r.lookBack, facts.now)) {
        // A high potassium older than the look-back is treated as missing: ask for a current one.
        add(
          alertFor(draft, {
            ruleId: 'potassium-not-current',
            type: 'drug-condition',
            severity: 'moderate',
            contraindicated: false,
            title: `No current potassium for ${draft.label}: the last was high`,
            detail: `The last potassium was above ${r.above.value} mmol/L but is not current, so this check could not run. Recheck potassium before ordering: ${r.detail}`,
            findingIds: [potassium.findingId],
            citationIds: r.citationIds,
            staleInputs: [staleInput(potassium, 'potassium', r.lookBack)],
          }),
        );
        continue;
      }
      add(
        alertFor(draft, {
          ruleId: r.id,
          type: 'drug-condition',
          severity: r.severity,
          contraindicated: r.contraindicated,
          title: r.title,
          detail: `${draft.label} with potassium ${potassium.value} mmol/L (${potassium.date.slice(0, 10)}): ${r.detail}`,
          findingIds: [potassium.findingId],
          citationIds: r.citationIds,
        }),
      );
    }

    // Dose limits.
    for (const limit of DOSE_LIMITS) {
      if (!draft.ingredients.includes(limit.ingredient) || draft.dailyDoseMg === undefined) continue;
      const older =
        limit.olderAdult && facts.ageYears !== undefined && facts.ageYears > limit.olderAdult.fromAge.value;
      const max = older && limit.olderAdult ? limit.olderAdult.maxDaily.value : limit.maxDaily.value;
      if (draft.dailyDoseMg <= max) continue;
      add(
        alertFor(draft, {
          ruleId: limit.id,
          type: 'dose-limit',
          severity: limit.severity,
          contraindicated: false,
          title: `${limit.ingredient} ${draft.dailyDoseMg} mg/day exceeds the label maximum of ${max} mg/day`,
          detail: limit.detail,
          findingIds: [],
          citationIds: limit.citationIds,
        }),
      );
    }
  }

  return [...alerts.values()].sort(
    (a, b) =>
      SEVERITY_ORDER[a.severity] - SEVERITY_ORDER[b.severity] ||
      Number(b.contraindicated) - Number(a.contraindicated) ||
      a.order.reference.localeCompare(b.order.reference) ||
      a.id.localeCompare(b.id),
  );
}
