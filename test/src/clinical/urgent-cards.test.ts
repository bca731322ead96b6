/**
 * Urgency first (issue 19): the sandbox patient with each can't-miss acute problem gets it as the
 * first card, built from the current encounter's data; the same record opened a week later, or a
 * milder value, does not raise it; on the shared Synthea set every supported can't-miss problem
 * leads the cards.
 */
import { CHART_OPENED, openChart, sandboxRecords, syntheaRecords } from './sandbox-assess';

const records = sandboxRecords();
const open = (id: string, now = CHART_OPENED) => {
  const record = records.get(id);
  if (!record) throw new Error(`no sandbox patient ${id}`);
  return openChart(id, record, now);
};

describe("can't-miss acute problems lead the cards", () => {
  it.each([
    ['rat-028', 'adhf', /NT-proBNP 2400/, /Echocardiogram/],
    ['rat-029', 'sepsis', /qSOFA 2.*RR 24.*SBP 98/, /Chest radiograph/],
    ['rat-030', 'acs', /chest pain.*smoker/, /ECG within 10 minutes/],
    ['rat-011', 'aki', /ibuprofen/, /Hold .*ibuprofen/],
    ['rat-051', 'hyperkalemia', /potassium 6\.4/, /ECG now/],
  ])(
    '%s: %s is the first card, with its numbers and the one thing to do',
    (id, condition, numbers, action) => {
      const { assessment, cards, topics } = open(id);
      expect(assessment.cantMiss?.[0]?.conditionId).toBe(condition);
      expect(topics[0]).toBe(`dx${condition}`);
      expect(cards[0]?.indicator).toBe('warning');
      expect(cards[0]?.summary).toMatch(numbers);
      expect(cards[0]?.summary.length).toBeLessThan(140);
      expect(cards[0]?.detail).toMatch(action);
      // The urgency class and its source travel with the item.
      expect(assessment.cantMiss?.[0]?.urgency.class).toBe('cant-miss');
      expect(assessment.cantMiss?.[0]?.urgency.citationIds.length).toBeGreaterThan(0);
    },
  );

  it('pneumonia with abnormal vitals names qSOFA and SIRS as the scores that drive the card', () => {
    const { assessment } = open('rat-029');
    const item = assessment.cantMiss?.[0];
    expect(item?.scoreIds).toEqual(['qsofa', 'sirs']);
    expect(item?.nextTests.map((t) => t.label)).toContain('Chest radiograph');
    expect(assessment.scores.find((s) => s.id === 'qsofa')?.value).toBe(2);
    // NEWS2 from the same encounter's vitals, shown beside them in the app (information only).
    const news2 = assessment.scores.find((s) => s.id === 'news2');
    process.stdout.write(`rat-029 NEWS2 ${news2?.value}: ${news2?.interpretation}\n`);
    expect(news2?.value).toBeGreaterThanOrEqual(7);
    expect(news2?.interpretation).toMatch(/^High/);
    expect(news2?.citationIds).toEqual(['rcp-2017-news2']);
  });

  it('the suggested next tests are tests, never a chart artefact', () => {
    for (const id of ['rat-028', 'rat-029', 'rat-030']) {
      const { assessment } = open(id);
      const labels = [
        ...(assessment.cantMiss ?? []).flatMap((c) => c.nextTests.map((t) => t.label)),
        ...assessment.nextBestTests.map((t) => t.label),
      ];
      expect(labels).not.toContain('Problem list');
    }
  });

  it('reads the current encounter only: the same records a week later raise nothing acute', () => {
    const later = new Date(CHART_OPENED.getTime() + 7 * 86_400_000);
    for (const id of ['rat-028', 'rat-029', 'rat-030', 'rat-011', 'rat-051']) {
      expect(open(id, later).assessment.cantMiss ?? []).toEqual([]);
    }
  });

  it('a moderate potassium (5.9) is not severe hyperkalemia, and a healthy adult has nothing acute', () => {
    expect(open('rat-009').assessment.cantMiss ?? []).toEqual([]);
    expect(open('rat-041').assessment.cantMiss ?? []).toEqual([]);
  });
});

describe("can't-miss on the shared Synthea set", () => {
  const synthea = syntheaRecords();
  (synthea.length > 0 ? it : it.skip)(
    "every patient with a supported can't-miss problem gets it as the first card",
    () => {
      let supported = 0;
      for (const { id, record, now } of synthea) {
        const opened = openChart(id, record, now);
        const first = opened.assessment.cantMiss?.[0];
        if (!first) continue;
        supported++;
        expect({ id, topic: opened.topics[0] }).toEqual({ id, topic: `dx${first.conditionId}` });
      }
      process.stdout.write(`Synthea patients with a can't-miss card: ${supported}/${synthea.length}\n`);
    },
  );
});
