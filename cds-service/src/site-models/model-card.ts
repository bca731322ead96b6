/**
 * A site model's model card (issue 16): the HTI-1 source attributes its owner declared, and what
 * it reads and produces, in words; served with the knowledge model's card by `GET /api/model-card`.
 */
import type { SiteModelCard } from '@rationale/shared-types';
import type { FeatureSpec, SiteModelSpec } from './registry';

function describeFeature(f: FeatureSpec): string {
  const source = f.demographic
    ? f.demographic === 'age-years'
      ? 'age in years'
      : `administrative sex ${f.demographic} (1) or not (0)`
    : f.loinc
      ? `LOINC ${f.loinc.join(', ')}`
      : `value set ${f.valueSet ?? ''}`;
  const how = f.demographic
    ? ''
    : `, ${f.aggregation}${f.window ? ` over ${f.window} days` : ' over the record'}`;
  const unit = f.unit ? ` (${f.unit})` : '';
  return `${source}${how}${unit}; ${f.missing} when missing`;
}

export function siteModelCard(m: SiteModelSpec): SiteModelCard {
  const a = m.sourceAttributes;
  return {
    id: m.id,
    version: m.version,
    owner: m.owner,
    intendedUse: m.intendedUse,
    hooks: [...m.hooks],
    mode: m.mode,
    runtime: m.runtime.kind,
    inputs: m.features.map((f) => ({ name: f.name, description: describeFeature(f) })),
    outputs: m.outputs.map((o) => ({
      label: o.label,
      thresholds: `information at ${o.thresholds.info}${o.thresholds.warning !== undefined ? `, warning at ${o.thresholds.warning}` : ''}`,
    })),
    sourceAttributes: {
      developer: a.developer,
      ...(a.fundingSource ? { fundingSource: a.fundingSource } : {}),
      outputDescription: a.outputDescription,
      intendedUsers: [...a.intendedUsers],
      intendedPopulation: a.intendedPopulation,
      cautionedOutOfScopeUses: [...a.cautionedOutOfScopeUses],
      trainingData: a.trainingData,
      knownLimitations: [...a.knownLimitations],
      knownRisks: [...a.knownRisks],
      validation: a.validation,
      ...(a.fairness ? { fairness: a.fairness } : {}),
      ...(a.updateSchedule ? { updateSchedule: a.updateSchedule } : {}),
    },
  };
}
