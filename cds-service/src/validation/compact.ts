/**
 * Patient results as a run keeps them until the report, so memory stays flat as patients are read.
 *
 * A PatientResult arrives from a lane process or the queue as plain JSON-like data: every string a
 * fresh copy, every case a four-element array with a boxed probability (about 100 bytes a case, a
 * few hundred cases per patient in as-of mode). Kept as it arrives, that grows by megabytes per
 * thousand patients. Here each result is packed once on arrival: the cases of a mode become 16 bits
 * each (condition index, label and flag bits, and whether the probability is other than 0) and the
 * probabilities other than 0 (a few percent of the cases) a Float64Array, exactly as computed;
 * both are views into large shared blocks, so a patient costs no allocation of its own outside the
 * JavaScript heap. Strings are interned, and the small tuples (a card, a rule firing, the cards of
 * a chart open) are shared. Nothing is dropped: `unpackCases` gives back the case rows.
 */
import type { Demographics } from './demographics';
import type { CardRow, CaseRow, PatientResult } from './replay';

const LABEL = 1;
const FLAG = 2;
/** The case's probability is the next of `scores` (else it is +0). */
const SCORED = 4;
const CONDITION_SHIFT = 3;

/** The cases of one mode of one patient, packed. */
export interface PackedCases {
  /** The run's condition ids, shared by every patient: `caseConditionIndex` indexes it. */
  readonly conditionIds: readonly string[];
  /** Per case: condition index × 8 + scored × 4 + flag × 2 + label. */
  readonly codes: Uint16Array;
  /** The probabilities other than +0, in case order (one per scored case). */
  readonly scores: Float64Array;
}

/** One patient's result as the run keeps it (same fields as PatientResult, cases packed). */
export interface KeptResult {
  patientId: string;
  demographics: Demographics;
  crossSectional?: { cases: PackedCases; rules: string[]; cards: CardRow[] };
  asOf?: {
    indexDates: number;
    cases: PackedCases;
    leadTimes: Array<[string, number]>;
    missed: string[];
    recommendations: Array<[string, 0 | 1 | null]>;
    cards: CardRow[][];
  };
}

export const caseCount = (cases: PackedCases): number => cases.codes.length;
export const caseConditionIndex = (cases: PackedCases, k: number): number =>
  cases.codes[k]! >> CONDITION_SHIFT;
export const caseCondition = (cases: PackedCases, k: number): string =>
  cases.conditionIds[cases.codes[k]! >> CONDITION_SHIFT]!;
/** Whether case k's probability is the next of `scores` (else it is 0): read them in case order. */
export const caseScored = (cases: PackedCases, k: number): boolean => (cases.codes[k]! & SCORED) !== 0;

/** Hands out views into large blocks, so many small arrays share a few allocations. */
class Blocks<T extends Uint16Array | Float64Array> {
  private block: T;
  private used = 0;
  constructor(
    private readonly make: (n: number) => T,
    private readonly size: number,
  ) {
    this.block = make(size);
  }
  take(n: number): T {
    if (n > this.size / 4) return this.make(n);
    if (this.used + n > this.size) {
      this.block = this.make(this.size);
      this.used = 0;
    }
    const view = this.block.subarray(this.used, this.used + n) as T;
    this.used += n;
    return view;
  }
}

const BLOCK = 1 << 16;
export const caseLabel = (cases: PackedCases, k: number): boolean => (cases.codes[k]! & LABEL) !== 0;
export const caseFlag = (cases: PackedCases, k: number): boolean => (cases.codes[k]! & FLAG) !== 0;

/** Packs results as they arrive; one per run (its dictionaries live as long as the run). */
export class ResultKeeper {
  private readonly strings = new Map<string, string>();
  private readonly tuples = new Map<string, readonly unknown[]>();
  private readonly conditionIndex = new Map<string, number>();
  private readonly conditionIds: string[] = [];
  private readonly codeBlocks = new Blocks((n) => new Uint16Array(n), BLOCK);
  private readonly scoreBlocks = new Blocks((n) => new Float64Array(n), BLOCK / 4);
  readonly results: KeptResult[] = [];

  /** Packs one result and keeps it. */
  add(result: PatientResult): void {
    this.results.push(this.pack(result));
  }

  private str(s: string): string {
    const known = this.strings.get(s);
    if (known !== undefined) return known;
    this.strings.set(s, s);
    return s;
  }

  private tuple<T extends readonly unknown[]>(t: T): T {
    const key = JSON.stringify(t);
    const known = this.tuples.get(key);
    if (known) return known as T;
    const shared = Object.freeze(t.map((x) => (typeof x === 'string' ? this.str(x) : x))) as unknown as T;
    this.tuples.set(key, shared);
    return shared;
  }

  private cases(rows: readonly CaseRow[]): PackedCases {
    const codes = this.codeBlocks.take(rows.length);
    let scored = 0;
    for (const row of rows) if (!isPlusZero(row[3])) scored++;
    const scores = this.scoreBlocks.take(scored);
    let s = 0;
    rows.forEach(([id, label, flag, score], k) => {
      let i = this.conditionIndex.get(id);
      if (i === undefined) {
        i = this.conditionIds.length;
        if (i >= 1 << (16 - CONDITION_SHIFT)) throw new Error('more than 8,192 condition ids in one run');
        this.conditionIds.push(id);
        this.conditionIndex.set(id, i);
      }
      const hasScore = !isPlusZero(score);
      if (hasScore) scores[s++] = score;
      codes[k] = (i << CONDITION_SHIFT) | (hasScore ? SCORED : 0) | (flag ? FLAG : 0) | (label ? LABEL : 0);
    });
    return { conditionIds: this.conditionIds, codes, scores };
  }

  private pack(r: PatientResult): KeptResult {
    const d = r.demographics;
    const kept: KeptResult = {
      patientId: r.patientId,
      demographics: {
        sex: this.str(d.sex),
        race: this.str(d.race),
        ethnicity: this.str(d.ethnicity),
        ageBand: this.str(d.ageBand),
      },
    };
    if (r.crossSectional)
      kept.crossSectional = {
        cases: this.cases(r.crossSectional.cases),
        rules: r.crossSectional.rules.map((s) => this.str(s)),
        cards: r.crossSectional.cards.map((c) => this.tuple(c)),
      };
    if (r.asOf)
      kept.asOf = {
        indexDates: r.asOf.indexDates,
        cases: this.cases(r.asOf.cases),
        leadTimes: r.asOf.leadTimes.map((t) => this.tuple(t)),
        missed: r.asOf.missed.map((s) => this.str(s)),
        recommendations: r.asOf.recommendations.map((t) => this.tuple(t)),
        cards: r.asOf.cards.map((open) => this.tuple(open.map((c) => this.tuple(c)))),
      };
    return kept;
  }
}

const isPlusZero = (x: number) => x === 0 && !Object.is(x, -0);

/** The case rows of packed cases, as the replay produced them. */
export function unpackCases(cases: PackedCases): CaseRow[] {
  let s = 0;
  return Array.from({ length: caseCount(cases) }, (_, k): CaseRow => [
    caseCondition(cases, k),
    caseLabel(cases, k) ? 1 : 0,
    caseFlag(cases, k) ? 1 : 0,
    caseScored(cases, k) ? cases.scores[s++]! : 0,
  ]);
}

/** Packs results (a keeper of their own). */
export function keepAll(results: readonly PatientResult[]): KeptResult[] {
  const keeper = new ResultKeeper();
  for (const r of results) keeper.add(r);
  return keeper.results;
}
