/**
 * Drug knowledge: RxNorm ingredient → drug classes, used by findings (medication facts) and by
 * recommendations and order safety. Owned by the treatment side of the model; the table is data
 * (table.ts), every class membership checkable against RxNorm and the cited guideline's drug lists.
 */
import type { Coding } from '@rationale/shared-types';
import { RXNORM_DISPLAYS } from '../../terminology';
import { DRUGS, type DrugClass, type DrugEntry } from './table';
import { statinIntensity } from './statin-intensity';

export { DRUGS, DRUG_CLASSES, type DrugClass, type DrugEntry } from './table';
export { STATIN_INTENSITY, statinIntensity, type StatinIntensity } from './statin-intensity';

export const RXNORM_SYSTEM = 'http://www.nlm.nih.gov/research/umls/rxnorm';

export interface DrugClassification {
  rxnorm?: string;
  /** Lower-case ingredient; a combination product joins its ingredients: "hydrochlorothiazide / lisinopril". */
  ingredient: string;
  classes: string[];
  /** Every ingredient recognized (one for a single-ingredient drug). */
  ingredients?: string[];
  /** Strength per unit (mg) of the first ingredient, when the code or the text states it. */
  strengthMg?: number;
}

const escape = (s: string): string => s.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
const wordPattern = (name: string): RegExp => new RegExp(`(^|[^a-z])${escape(name)}(?=$|[^a-z])`, 'i');

const NAME_PATTERNS: ReadonlyArray<{ entry: DrugEntry; patterns: RegExp[]; blank: RegExp[] }> = DRUGS.map(
  (entry) => {
    const patterns = [entry.ingredient, ...(entry.synonyms ?? [])]
      .sort((a, b) => b.length - a.length)
      .map(wordPattern);
    // A fixed combination (sacubitril/valsartan) also consumes its component names.
    const parts = entry.ingredient.includes('/') ? entry.ingredient.split('/').map(wordPattern) : [];
    return { entry, patterns, blank: [...patterns, ...parts] };
  },
);

/** The first run of letters of a name ("l-thyroxine" → "l"); undefined when it starts otherwise. */
const firstLetters = (name: string): string | undefined => /^[a-z]+/i.exec(name)?.[0]?.toLowerCase();

/**
 * Name index, built at load: a name's first run of letters → the entries (positions in
 * NAME_PATTERNS) with a name starting so. A name can only match where that run stands alone as a
 * word of the text, so only those entries' patterns are tried, in table order, as a scan would.
 */
const NAME_INDEX = new Map<string, number[]>();
const ALWAYS_TRIED: number[] = [];
NAME_PATTERNS.forEach(({ entry }, i) => {
  for (const name of [entry.ingredient, ...(entry.synonyms ?? [])]) {
    const key = firstLetters(name);
    if (!key) {
      if (!ALWAYS_TRIED.includes(i)) ALWAYS_TRIED.push(i);
      continue;
    }
    const list = NAME_INDEX.get(key) ?? [];
    if (!list.includes(i)) list.push(i);
    NAME_INDEX.set(key, list);
  }
});

/** Positions of the entries whose names may occur in the text (every word looked up once). */
function candidateEntries(text: string): number[] {
  const found = new Set<number>(ALWAYS_TRIED);
  for (const word of text.match(/[a-z]+/gi) ?? [])
    for (const i of NAME_INDEX.get(word.toLowerCase()) ?? []) found.add(i);
  return [...found].sort((a, b) => a - b);
}

const BY_INGREDIENT: ReadonlyMap<string, DrugEntry> = new Map(
  [...DRUGS].reverse().map((d) => [d.ingredient, d] as const),
);

const BY_CODE: ReadonlyMap<string, { entry: DrugEntry; mg?: number }> = new Map(
  DRUGS.flatMap((entry) => [
    ...(entry.rxnorm ? [[entry.rxnorm, { entry }] as const] : []),
    ...(entry.clinicalDrugs ?? []).map((cd) => [cd.rxnorm, { entry, mg: cd.mg }] as const),
  ]),
);

function isRxNormOrUnspecified(c: Coding): boolean {
  return !c.system || c.system === RXNORM_SYSTEM || c.system.toLowerCase().includes('rxnorm');
}

/** The strength in mg written right after a name in a clinical-drug text: "atorvastatin 40 MG Oral Tablet". */
function strengthAfter(text: string, name: string): number | undefined {
  const m = new RegExp(`${escape(name)}[a-z ]*?\\s(\\d+(?:\\.\\d+)?)\\s*mg(?![a-z/])`, 'i').exec(text);
  return m?.[1] ? Number(m[1]) : undefined;
}

function withDerivedClasses(entry: DrugEntry, text: string, mg: number | undefined): string[] {
  const classes: string[] = [...entry.classes];
  if (
    entry.ingredient === 'metoprolol' &&
    /succinate|\btoprol|24 hr|extended[- ]release|\ber\b|\bxl\b/i.test(text)
  ) {
    classes.push('beta-blocker-hfref');
  }
  // Intensity from the unit strength assumes once-daily dosing, as statins are taken; rules that
  // know the daily dose (MedicationFact.dailyDoseMg) recompute it with statinIntensity().
  const intensity = entry.classes.includes('statin') ? statinIntensity(entry.ingredient, mg) : undefined;
  if (intensity) classes.push(`statin-${intensity}-intensity`);
  return classes;
}

/**
 * Classifies a medication from its codings (RxNorm ingredient or clinical drug codes) or, failing
 * that, its text. Returns undefined for a drug the knowledge base does not know. A combination
 * product ("hydrochlorothiazide 12.5 MG / lisinopril 10 MG Oral Tablet") gets the classes of every
 * ingredient it names.
 */
export function classifyMedication(codings: Coding[], text?: string): DrugClassification | undefined {
  // The knowledge is fixed, so a classification depends only on the codings and the text: records
  // name the same few hundred products over and over, and the name search below is the slow part.
  let key = part(text);
  for (const c of codings) key += part(c.system) + part(c.code) + part(c.display);
  let known = CLASSIFIED.get(key);
  if (known === undefined) {
    known = classifyUncached(codings, text) ?? null;
    if (CLASSIFIED.size >= CLASSIFIED_MAX) CLASSIFIED.delete(CLASSIFIED.keys().next().value as string);
    CLASSIFIED.set(key, known);
  }
  // A copy: callers own what they get.
  return known === null
    ? undefined
    : {
        ...known,
        classes: [...known.classes],
        ...(known.ingredients ? { ingredients: [...known.ingredients] } : {}),
      };
}

/**
 * One value of a classification's cache key, length-prefixed so that no two different lists of
 * values give the same key: `-` stands for an absent one, and a value that is not a string (a
 * malformed record) is written as JSON under its own prefix.
 */
function part(s: unknown): string {
  if (typeof s === 'string') return `${s.length}:${s}`;
  if (s === undefined || s === null) return '-';
  const json = JSON.stringify(s) ?? typeof s;
  return `j${json.length}:${json}`;
}

/** Classifications already made, oldest first; bounded so a stream of odd texts cannot grow it. */
const CLASSIFIED = new Map<string, DrugClassification | null>();
const CLASSIFIED_MAX = 5_000;

function classifyUncached(codings: Coding[], text?: string): DrugClassification | undefined {
  // A clinical-drug, branded-drug or pack code names its ingredients in its published display
  // (terminology layer): the code decides, whatever the local text says; text is the last resort.
  const published = codings
    .filter((c) => c.code && isRxNormOrUnspecified(c))
    .map((c) => RXNORM_DISPLAYS.get(c.code as string))
    .filter((s): s is string => Boolean(s));
  const haystackParts =
    published.length > 0
      ? published
      : [text, ...codings.map((c) => c.display)].filter((s): s is string => Boolean(s));
  const haystack = haystackParts.join(' | ');

  for (const coding of codings) {
    if (!coding.code || !isRxNormOrUnspecified(coding)) continue;
    const hit = BY_CODE.get(coding.code);
    if (hit) {
      const mg = hit.mg ?? strengthAfter(haystack, hit.entry.ingredient);
      return {
        rxnorm: hit.entry.rxnorm ?? coding.code,
        ingredient: hit.entry.ingredient,
        classes: withDerivedClasses(hit.entry, haystack, mg),
        ingredients: [hit.entry.ingredient],
        ...(mg !== undefined ? { strengthMg: mg } : {}),
      };
    }
  }

  let remaining = haystack;
  const matched: Array<{ entry: DrugEntry; at: number; mg?: number }> = [];
  for (const i of candidateEntries(haystack)) {
    const { entry, patterns, blank } = NAME_PATTERNS[i] as (typeof NAME_PATTERNS)[number];
    for (const pattern of patterns) {
      const m = pattern.exec(remaining);
      if (!m) continue;
      const at = m.index + (m[1]?.length ?? 0);
      const name = m[0].slice(m[1]?.length ?? 0);
      matched.push({ entry, at, mg: strengthAfter(remaining.slice(at), name) });
      // Blank out every name of this entry so a shorter name inside it is not matched again.
      for (const p of blank)
        remaining = remaining.replace(new RegExp(p.source, 'gi'), (s) => s.replace(/[a-z]/gi, ' '));
      break;
    }
  }
  if (matched.length === 0) return undefined;
  matched.sort((a, b) => a.at - b.at);
  const [first] = matched;
  if (!first) return undefined;
  const classes = [...new Set(matched.flatMap((m) => withDerivedClasses(m.entry, haystack, m.mg)))];
  const ingredients = matched.map((m) => m.entry.ingredient);
  return {
    ...(matched.length === 1 && first.entry.rxnorm ? { rxnorm: first.entry.rxnorm } : {}),
    ingredient: ingredients.join(' / '),
    classes,
    ingredients,
    ...(first.mg !== undefined ? { strengthMg: first.mg } : {}),
  };
}

/** Looks up a drug entry by ingredient name. */
export function drugByIngredient(ingredient: string): DrugEntry | undefined {
  return BY_INGREDIENT.get(ingredient.toLowerCase());
}

export interface AllergyClassification {
  /** Drug classes the allergy covers, including established cross-reactive classes. */
  classes: string[];
  ingredients: string[];
}

/**
 * Classes an allergy label extends to. Beta-lactam sub-classes, sulfonamide antibiotics,
 * fluoroquinolones, NSAIDs and ACE inhibitors are kept; other classes (antihypertensive, statin...)
 * are pharmacologic groupings, not allergy groups. Penicillin → cephalosporin cross-reactivity is
 * low and handled with nuance by order safety, so it is not added here (2022 AAAAI/ACAAI drug
 * allergy practice parameter).
 */
export const ALLERGY_GROUPS: readonly DrugClass[] = [
  'penicillin',
  'cephalosporin',
  'carbapenem',
  'sulfonamide-antibiotic',
  'fluoroquinolone',
  'nsaid',
  'acei',
];

const ALLERGY_TEXT: ReadonlyArray<{ pattern: RegExp; group: DrugClass }> = [
  { pattern: /penicillin|\bpcn\b/i, group: 'penicillin' },
  { pattern: /cephalosporin/i, group: 'cephalosporin' },
  { pattern: /carbapenem/i, group: 'carbapenem' },
  // "Sulfa allergy" in practice names the sulfonamide antibiotics.
  { pattern: /\bsulfa\b|sulfonamide antibiotic|sulphonamide|sulfonamide/i, group: 'sulfonamide-antibiotic' },
  { pattern: /quinolone/i, group: 'fluoroquinolone' },
  { pattern: /\bnsaids?\b|non-?steroidal anti-?inflammatory/i, group: 'nsaid' },
  { pattern: /ace inhibitor|angiotensin[- ]converting/i, group: 'acei' },
];

/** Classifies an AllergyIntolerance's substance codings (RxNorm, SNOMED CT) or text. */
export function classifyAllergy(codings: Coding[], text?: string): AllergyClassification {
  const haystack = [text, ...codings.map((c) => c.display)].filter(Boolean).join(' | ');
  const match = classifyMedication(codings, text);
  const classes = new Set<string>();
  for (const c of match?.classes ?? []) if ((ALLERGY_GROUPS as readonly string[]).includes(c)) classes.add(c);
  for (const { pattern, group } of ALLERGY_TEXT) if (pattern.test(haystack)) classes.add(group);
  const ingredients = match?.ingredients ?? (match ? [match.ingredient] : []);
  return { classes: [...classes].sort(), ingredients };
}
