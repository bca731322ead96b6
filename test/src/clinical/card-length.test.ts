/**
 * Short cards (issue 19): over every sandbox patient and the shared Synthea set, each card's
 * summary is under 140 characters, its detail at most five short paragraphs with no model-version
 * boilerplate, and the 95th percentile of detail length is at most 600 characters. Prints the
 * numbers it measured.
 */
import { CHART_OPENED, openChart, sandboxRecords, syntheaRecords } from './sandbox-assess';

function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return 0;
  const i = Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1);
  return sorted[Math.max(0, i)] ?? 0;
}

describe('card length over the sandbox patients and the shared Synthea set', () => {
  const opened = [
    ...[...sandboxRecords()].map(([id, record]) => openChart(id, record, CHART_OPENED)),
    ...syntheaRecords().map(({ id, record, now }) => openChart(id, record, now)),
  ];
  const cards = opened.flatMap((o) =>
    o.cards.map((card) => ({ id: o.id, card, version: o.assessment.model.version })),
  );

  it('p95 detail ≤ 600 characters; every summary < 140; at most five paragraphs; no boilerplate', () => {
    expect(cards.length).toBeGreaterThan(50);
    const lengths = cards.map((c) => (c.card.detail ?? '').length).sort((a, b) => a - b);
    const p50 = percentile(lengths, 50);
    const p95 = percentile(lengths, 95);
    const max = lengths[lengths.length - 1] ?? 0;
    const mean = opened.length > 0 ? cards.length / opened.length : 0;
    process.stdout.write(
      `cards: ${cards.length} over ${opened.length} chart opens (mean ${mean.toFixed(2)}); detail length p50 ${p50}, p95 ${p95}, max ${max}\n`,
    );
    expect(p95).toBeLessThanOrEqual(600);
    for (const { id, card, version } of cards) {
      const detail = card.detail ?? '';
      expect({ id, summary: card.summary.length < 140 }).toEqual({ id, summary: true });
      expect({ id, paragraphs: detail.split(/\n\n/).length <= 5 }).toEqual({ id, paragraphs: true });
      expect({ id, boilerplate: detail.includes(version) }).toEqual({ id, boilerplate: false });
    }
  });
});
