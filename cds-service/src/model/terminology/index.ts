/**
 * The terminology layer: the generated value-set table (generated/value-sets.json, written by
 * `npm run terminology:build` from published VSAC expansions) turned into lookups built once at
 * load. Every coding of a CodeableConcept is tried; ICD-10-CM codes also match through their
 * hierarchy (a category or range covers every code under it); the text is read only when no coding
 * is recognised, and a text match says so. See DESIGN.md §3a.
 */
import type { Coding } from '@rationale/shared-types';
import GENERATED from './generated/value-sets.json';

export const SNOMED_URL = 'http://snomed.info/sct';
export const ICD10CM_URL = 'http://hl7.org/fhir/sid/icd-10-cm';
export const LOINC_URL = 'http://loinc.org';
export const RXNORM_URL = 'http://www.nlm.nih.gov/research/umls/rxnorm';

export interface GeneratedGroup {
  label: string;
  valueSets: string[];
  icd10cm: string[];
  resources: string[];
  codes: Record<string, string[]>;
}
/** An Observation that counts toward a group, as an eCQM CQL library retrieves it. */
export interface ObservationRule {
  group: string;
  code: { system: string; code: string; display?: string };
  /** The answer the library requires (`value ~ "Yes"`); absent: the assessment being done counts. */
  value?: { system: string; code: string; display?: string };
  /** The CQL library (name and version) and its path in the source repository. */
  library: string;
  version: string;
  path: string;
}
export interface GeneratedTable {
  source: { repository: string; commit: string; path: string };
  valueSets: Record<string, { title: string; version: string; expansion: string }>;
  groups: Record<string, GeneratedGroup>;
  analytes: Record<string, string[]>;
  observations: ObservationRule[];
  rxnorm: Record<string, string>;
}
const TABLE = GENERATED as GeneratedTable;

/** The generated table as read (provenance hashes it whole: source, versions and members). */
export const TERMINOLOGY_TABLE: Readonly<GeneratedTable> = TABLE;

/** Where the table came from: repository, commit and the value sets with their versions. */
export const TERMINOLOGY_SOURCE = Object.freeze({
  repository: TABLE.source.repository,
  commit: TABLE.source.commit,
  path: TABLE.source.path,
  valueSets: TABLE.valueSets,
});

/** Canonical system keys, with the URIs and OIDs EHRs send for each system. */
const SYSTEM_ALIASES: Readonly<Record<string, string>> = Object.freeze({
  [SNOMED_URL]: 'snomed',
  'urn:oid:2.16.840.1.113883.6.96': 'snomed',
  'http://snomed.info/id': 'snomed',
  [ICD10CM_URL]: 'icd10cm',
  'urn:oid:2.16.840.1.113883.6.90': 'icd10cm',
  'http://hl7.org/fhir/sid/icd-10': 'icd10cm',
  [LOINC_URL]: 'loinc',
  'urn:oid:2.16.840.1.113883.6.1': 'loinc',
  [RXNORM_URL]: 'rxnorm',
  'urn:oid:2.16.840.1.113883.6.88': 'rxnorm',
  'http://www.ama-assn.org/go/cpt': 'cpt',
  'urn:oid:2.16.840.1.113883.6.12': 'cpt',
  'http://www.nlm.nih.gov/research/umls/hcpcs': 'hcpcs',
  'https://www.cms.gov/Medicare/Coding/HCPCSReleaseCodeSets': 'hcpcs',
  'http://www.cms.gov/Medicare/Coding/ICD10': 'icd10pcs',
});

/** The system key of a coding's system URI (`snomed`, `icd10cm`, `loinc`, `rxnorm`, ...). */
export function systemKey(system: string | undefined): string | undefined {
  if (!system) return undefined;
  return SYSTEM_ALIASES[system] ?? SYSTEM_ALIASES[system.replace(/\/$/, '')] ?? system;
}

/** ICD-10-CM as EHRs send it: upper case, with the dot after the category ("E119" → "E11.9"). */
export function normalizeIcd10(code: string): string {
  const c = code.trim().toUpperCase();
  return c.length > 3 && c[3] !== '.' ? `${c.slice(0, 3)}.${c.slice(3)}` : c;
}

const CATEGORY_CHARS = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ';

/** Every ICD-10-CM category from `from` to `to` inclusive ("O00-O9A" → O00 … O99, O9A). */
export function icd10Categories(from: string, to: string): string[] {
  const letter = from[0] as string;
  const out: string[] = [];
  for (const a of '0123456789') {
    for (const b of CATEGORY_CHARS) {
      const category = `${letter}${a}${b}`;
      if (category >= from && category <= to) out.push(category);
    }
  }
  return out;
}

/** `${systemKey}|${code}` → group ids: exact members of the published expansions. */
const EXACT = new Map<string, string[]>();
/** ICD-10-CM prefix (category or code) → group ids: the code-system hierarchy rules. */
const ICD_PREFIX = new Map<string, string[]>();
const add = (map: Map<string, string[]>, key: string, id: string): void => {
  const list = map.get(key);
  if (!list) map.set(key, [id]);
  else if (!list.includes(id)) list.push(id);
};
for (const [id, group] of Object.entries(TABLE.groups)) {
  for (const [system, codes] of Object.entries(group.codes)) {
    for (const code of codes)
      add(EXACT, `${system}|${system === 'icd10cm' ? normalizeIcd10(code) : code}`, id);
  }
  for (const rule of group.icd10cm) {
    const [from, to] = rule.split('-');
    if (to && from) icd10Categories(from, to).forEach((c) => add(ICD_PREFIX, c, id));
    else add(ICD_PREFIX, normalizeIcd10(rule), id);
  }
}

/** `${systemKey}|${code}` of an Observation's code → the rules that read it (built at load). */
const OBSERVATION_RULES = new Map<string, ObservationRule[]>();
for (const rule of TABLE.observations) {
  const key = `${systemKey(rule.code.system)}|${rule.code.code}`;
  OBSERVATION_RULES.set(key, [...(OBSERVATION_RULES.get(key) ?? []), rule]);
}
/** The codes alone: most Observations are ruled out by one lookup, without making a key. */
const OBSERVATION_RULE_CODES = new Set(TABLE.observations.map((rule) => rule.code.code));

/** An Observation matched to a group: the rule (with its CQL library as the source) and the coding. */
export interface ObservationMatch {
  id: string;
  label: string;
  coding: Coding;
  rule: ObservationRule;
}

/**
 * The groups an Observation counts toward under the eCQM libraries' rules: any coding of its code
 * is a rule's code, and any coding of its value is the answer the rule requires (CQL `~`: same
 * system and code), when it requires one. Map lookups only.
 */
export function groupsOfObservation(observation: {
  code?: { coding?: Coding[] };
  valueCodeableConcept?: { coding?: Coding[] };
}): ObservationMatch[] {
  const out: ObservationMatch[] = [];
  for (const coding of observation.code?.coding ?? []) {
    if (!coding.code) continue;
    const code = coding.code.trim();
    if (!OBSERVATION_RULE_CODES.has(code)) continue;
    for (const rule of OBSERVATION_RULES.get(`${systemKey(coding.system)}|${code}`) ?? []) {
      const required = rule.value;
      const answered =
        !required ||
        (observation.valueCodeableConcept?.coding ?? []).some(
          (v) => systemKey(v.system) === systemKey(required.system) && v.code?.trim() === required.code,
        );
      if (answered && !out.some((m) => m.id === rule.group))
        out.push({ id: rule.group, label: CONCEPT_GROUP_LABELS.get(rule.group) ?? rule.group, coding, rule });
    }
  }
  return out;
}

/** True when some coding of the Observation's code is one the observation rules read (a map lookup each). */
export function observationRuleApplies(observation: { code?: { coding?: Coding[] } }): boolean {
  for (const coding of observation.code?.coding ?? []) {
    if (!coding.code) continue;
    const code = coding.code.trim();
    if (OBSERVATION_RULE_CODES.has(code) && OBSERVATION_RULES.has(`${systemKey(coding.system)}|${code}`))
      return true;
  }
  return false;
}

/** The Observation codes the rules read, as `system|code` search tokens (for prefetch templates). */
export function observationRuleTokens(): string[] {
  return [...new Set(TABLE.observations.map((r) => `${r.code.system}|${r.code.code}`))].sort();
}

/** LOINC code → analyte id, from the published LOINC groups. */
export const LOINC_GROUP_ANALYTES: ReadonlyMap<string, string> = new Map(
  Object.entries(TABLE.analytes).flatMap(([analyte, codes]) => codes.map((c) => [c, analyte] as const)),
);

/** RxNorm code → its published display (SCD, SBD, packs, ingredients of drug-table drugs). */
export const RXNORM_DISPLAYS: ReadonlyMap<string, string> = new Map(Object.entries(TABLE.rxnorm));

/** Group ids, labels and the resources each is read from. */
export const CONCEPT_GROUP_LABELS: ReadonlyMap<string, string> = new Map(
  Object.entries(TABLE.groups).map(([id, g]) => [id, g.label]),
);
export const GROUP_RESOURCES: ReadonlyMap<string, readonly string[]> = new Map(
  Object.entries(TABLE.groups).map(([id, g]) => [id, g.resources]),
);

/** The group ids one coding belongs to (exact member, or under an ICD-10-CM category/range rule). */
export function groupsOfCoding(coding: Coding): readonly string[] {
  const key = systemKey(coding.system);
  if (!key || !coding.code) return NONE;
  if (key !== 'icd10cm') return EXACT.get(`${key}|${coding.code.trim()}`) ?? NONE;
  const code = normalizeIcd10(coding.code);
  const exact = EXACT.get(`icd10cm|${code}`);
  let out: string[] | undefined = exact ? [...exact] : undefined;
  // Walk up the hierarchy: "O09.893" → O09.89, O09.8, O09.
  for (let end = code.length; end >= 3; end--) {
    if (code[end - 1] === '.') continue;
    const ids = ICD_PREFIX.get(code.slice(0, end));
    if (!ids) continue;
    out ??= [];
    for (const id of ids) if (!out.includes(id)) out.push(id);
  }
  return out ?? NONE;
}
const NONE: readonly string[] = Object.freeze([]);

export interface GroupMatch {
  id: string;
  label: string;
  /** The coding that matched, or undefined when the text did (marked `text` in provenance). */
  coding?: Coding;
  matchedBy: 'code' | 'text';
}

/** Text patterns read only when no coding of a concept is recognised (a last resort). */
const TEXT_PATTERNS: ReadonlyArray<{ id: string; pattern: RegExp }> = [
  { id: 'pregnancy', pattern: /^(currently )?pregnan(t|cy)\b(?!.*\b(test|negative|not)\b)/i },
  { id: 'hospice', pattern: /^(hospice|palliative care|comfort (care|measures)( only)?)\b/i },
  { id: 'breastfeeding', pattern: /^(breast ?feeding|lactating)\b/i },
  {
    id: 'esrd-dialysis',
    pattern: /^(end[- ]stage (renal|kidney) disease|esrd|(on )?(hemo|peritoneal )?dialysis)\b/i,
  },
];

/**
 * Every group a CodeableConcept belongs to: each coding is tried; the text (or a display) only
 * when no coding is recognised by any group.
 */
export function groupsOfConcept(
  concept: { coding?: Coding[]; text?: string } | undefined,
  allowText = true,
): GroupMatch[] {
  const out: GroupMatch[] = [];
  for (const coding of concept?.coding ?? []) {
    for (const id of groupsOfCoding(coding)) {
      if (!out.some((m) => m.id === id))
        out.push({ id, label: CONCEPT_GROUP_LABELS.get(id) ?? id, coding, matchedBy: 'code' });
    }
  }
  if (out.length > 0 || !allowText) return out;
  const text = concept?.text ?? concept?.coding?.find((c) => c.display)?.display;
  if (!text) return out;
  for (const { id, pattern } of TEXT_PATTERNS) {
    if (pattern.test(text.trim()))
      out.push({ id, label: CONCEPT_GROUP_LABELS.get(id) ?? id, matchedBy: 'text' });
  }
  return out;
}

/** True when any coding of the concept is a member of the group. */
export function inGroup(concept: { coding?: Coding[] } | undefined, groupId: string): boolean {
  return (concept?.coding ?? []).some((c) => groupsOfCoding(c).includes(groupId));
}

/**
 * The member codes (every system but ICD-10-CM, whose hierarchy cannot be searched by token) of
 * the groups read from a resource type: the code list a prefetch template searches by, so a
 * hospice referral years into a long order history is found without paging through all of it.
 */
export function groupCodesReadFrom(resourceType: string): string[] {
  const codes = new Set<string>();
  for (const group of Object.values(TABLE.groups)) {
    if (!group.resources.includes(resourceType)) continue;
    for (const [system, list] of Object.entries(group.codes))
      if (system !== 'icd10cm') for (const c of list) codes.add(c);
  }
  return [...codes].sort();
}
