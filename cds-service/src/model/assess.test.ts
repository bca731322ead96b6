import { assessmentSchema, modelCardSchema } from '@rationale/shared-types';
import { assess } from './assess';
import { modelCard } from './model-card';
import { KNOWLEDGE_BASE_HASH, canonicalJson } from './provenance';
import { bp, condition, lab, NOW, patientRecord, symptomObservation } from './testing/fixtures';

function sampleRecord() {
  return patientRecord(62, 'female', {
    conditions: [
      condition('38341003', 'active', 'snomed', 'htn1'),
      condition('49436004', 'active', 'snomed', 'af1'),
    ],
    observations: [
      lab('33914-3', 52, 'mL/min/{1.73_m2}', 130, 'egfr1'),
      lab('33914-3', 49, 'mL/min/{1.73_m2}', 10, 'egfr2'),
      lab('4548-4', 7.2, '%', 300, 'a1c1'),
      lab('4548-4', 7.4, '%', 10, 'a1c2'),
      lab('2093-3', 220, 'mg/dL', 10, 'tc'),
      lab('2085-9', 48, 'mg/dL', 10, 'hdl'),
      lab('18262-6', 140, 'mg/dL', 10, 'ldl'),
      lab('2160-0', 1.1, 'mg/dL', 10, 'cr'),
      lab('29463-7', 80, 'kg', 10, 'wt'),
      lab('39156-5', 31, 'kg/m2', 10, 'bmi'),
      bp(142, 88, 200, '85354-9', 'bp1'),
      bp(138, 86, 10, '85354-9', 'bp2'),
      symptomObservation('267036007', true, 1, 'dysp'),
    ],
  });
}

describe('assess', () => {
  it('returns a schema-valid assessment with provenance and an empty id', () => {
    const a = assess(sampleRecord(), NOW);
    expect(assessmentSchema.safeParse(a).success).toBe(true);
    expect(a.id).toBe('');
    expect(a.model).toEqual({
      name: 'rationale-knowledge-model',
      version: expect.any(String),
      knowledgeBaseHash: KNOWLEDGE_BASE_HASH,
    });
    expect(a.model.knowledgeBaseHash).toMatch(/^[0-9a-f]{64}$/);
    expect(a.assessedAt).toBe(NOW.toISOString());
  });

  it('is deterministic: same input, identical output, whatever the resource order', () => {
    const first = assess(sampleRecord(), NOW);
    const second = assess(sampleRecord(), NOW);
    expect(canonicalJson(second)).toBe(canonicalJson(first));
    const shuffled = sampleRecord();
    shuffled.observations.reverse();
    shuffled.conditions.reverse();
    expect(JSON.stringify(assess(shuffled, NOW))).toBe(JSON.stringify(first));
  });

  it('suggests the undiagnosed conditions, keeps recorded ones recorded, and computes the scores', () => {
    const a = assess(sampleRecord(), NOW);
    const status = Object.fromEntries(a.hypotheses.map((h) => [h.conditionId, h.status]));
    expect(status).toMatchObject({
      t2d: 'suggested',
      ckd: 'suggested',
      htn: 'recorded',
      af: 'recorded',
      obesity: 'suggested',
    });
    const ids = a.scores.map((s) => s.id);
    expect(ids).toEqual(
      expect.arrayContaining([
        'pce-ascvd-10y',
        'prevent-cvd-10y',
        'prevent-ascvd-10y',
        'cha2ds2-vasc',
        'has-bled',
        'egfr-ckd-epi-2021',
        'kdigo-stage',
        'crcl-cockcroft-gault',
        'bmi',
      ]),
    );
    // CHA2DS2-VASc: hypertension 1 + diabetes (criteria met) 1 + female 1 = 3
    expect(a.scores.find((s) => s.id === 'cha2ds2-vasc')?.value).toBe(3);
    expect(a.scores.find((s) => s.id === 'has-bled')?.informational).toBe(true);
  });

  it('lists every cited source once and only cited ones', () => {
    const a = assess(sampleRecord(), NOW);
    const ids = a.citations.map((c) => c.id);
    expect(new Set(ids).size).toBe(ids.length);
    const referenced = new Set([
      ...a.hypotheses.flatMap((h) => [
        ...h.citationIds,
        ...h.contributions.flatMap((c) => c.citationIds),
        ...(h.criteria?.citationIds ?? []),
      ]),
      ...a.scores.flatMap((s) => s.citationIds),
      ...a.nextBestTests.flatMap((t) => t.citationIds),
      ...a.recommendations.flatMap((r) => r.citationIds),
      ...a.safety.flatMap((s) => s.citationIds),
      ...(a.cantMiss ?? []).flatMap((c) => c.citationIds),
      ...a.recommendations.flatMap((r) => (r.premises ?? []).flatMap((p) => p.citationIds)),
      ...(a.unmetPremises ?? []).flatMap((u) => u.premises.flatMap((p) => p.citationIds)),
      ...[...a.hypotheses, ...a.recommendations].flatMap((x) => x.urgency?.citationIds ?? []),
    ]);
    expect(new Set(ids)).toEqual(referenced);
  });

  it('resolves every finding reference in hypotheses and scores to a finding', () => {
    const a = assess(sampleRecord(), NOW);
    const findingIds = new Set(a.findings.map((f) => f.id));
    for (const h of a.hypotheses) {
      for (const c of h.contributions) if (c.findingId) expect(findingIds.has(c.findingId)).toBe(true);
      for (const id of h.criteria?.findingIds ?? [])
        expect([h.conditionId, id, findingIds.has(id)]).toEqual([h.conditionId, id, true]);
    }
    for (const s of a.scores)
      for (const i of s.inputs) if (i.findingId) expect(findingIds.has(i.findingId)).toBe(true);
  });

  it('names data gaps', () => {
    const a = assess(patientRecord(50, 'male'), NOW);
    expect(a.dataGaps).toEqual(
      expect.arrayContaining([
        expect.stringContaining('lipid panel'),
        expect.stringContaining('HbA1c'),
        'Smoking status not recorded',
      ]),
    );
  });
});

describe('modelCard', () => {
  it('is schema-valid, honest about race, and describes the LLM only when configured', () => {
    const card = modelCard({});
    expect(modelCardSchema.safeParse(card).success).toBe(true);
    expect(card.demographicAndSocialInputs.race.used).toBe(true);
    expect(card.demographicAndSocialInputs.race.how).toContain('Pooled Cohort');
    expect(card.llm.enabled).toBe(false);
    expect(card.cautionedOutOfScopeUses.join(' ')).toMatch(/pediatric/);
    const withLlm = modelCard({ llm: { model: 'gpt-x', promptVersion: '3' } });
    expect(withLlm.llm).toMatchObject({ enabled: true, model: 'gpt-x', promptVersion: '3' });
    expect(withLlm.interventionType).toBe('evidence-based with optional predictive reasoner');
  });

  it("has no placeholder and states the can't-miss cards it now raises", () => {
    const text = JSON.stringify(modelCard({}));
    expect(text).not.toMatch(/https:\/\/github\.com\/ |TODO|TBD|lorem|placeholder/i);
    expect(text).not.toContain('never raise an alert.');
    expect(modelCard({}).cautionedOutOfScopeUses.join(' ')).toContain('qSOFA ≥ 2');
  });
});

describe('assess: declined therapy', () => {
  const diabetic = (extra: Parameters<typeof patientRecord>[2] = {}) =>
    patientRecord(58, 'male', {
      conditions: [condition('44054006', 'active', 'snomed', 'dm')],
      observations: [lab('18262-6', 132, 'mg/dL', 20, 'ldl'), lab('4548-4', 6.9, '%', 20, 'a1c')],
      ...extra,
    });

  it('recommends a statin for diabetes at 40-75, and not once the patient declined one', () => {
    const statinRule = (a: ReturnType<typeof assess>) =>
      a.recommendations.filter((r) => r.ruleId.startsWith('statin'));
    expect(statinRule(assess(diabetic(), NOW))).not.toHaveLength(0);

    const declined = diabetic({
      medicationRequests: [
        {
          resourceType: 'MedicationRequest',
          id: 'declined-statin',
          status: 'stopped',
          intent: 'order',
          subject: { reference: 'Patient/p1' },
          authoredOn: new Date(NOW.getTime() - 30 * 86_400_000).toISOString(),
          statusReason: { text: 'Patient declined statin therapy' },
          medicationCodeableConcept: {
            coding: [
              {
                system: 'http://www.nlm.nih.gov/research/umls/rxnorm',
                code: '83367',
                display: 'atorvastatin',
              },
            ],
          },
        },
      ],
    });
    expect(statinRule(assess(declined, NOW))).toHaveLength(0);
  });
});

describe('assess: findings carried in the assessment', () => {
  it('keeps the latest values of a long series and every finding the reasoning cites', () => {
    const record = patientRecord(60, 'female', {
      observations: Array.from({ length: 60 }, (_, i) =>
        lab('2345-7', 95 + (i % 5), 'mg/dL', 10 + i * 7, `glu${i}`),
      ),
    });
    const a = assess(record, NOW);
    const glucose = a.findings.filter((f) =>
      f.sources.some((s) => s.reference.startsWith('Observation/glu')),
    );
    expect(glucose.length).toBeLessThanOrEqual(5 + 2);
    expect(glucose.some((f) => f.sources[0]!.reference === 'Observation/glu0')).toBe(true); // the newest
    expect(glucose.some((f) => f.sources[0]!.reference === 'Observation/glu59')).toBe(false); // the oldest

    const ids = new Set(a.findings.map((f) => f.id));
    const cited = [
      ...a.hypotheses.flatMap((h) => [
        ...h.contributions.map((c) => c.findingId),
        ...(h.criteria?.findingIds ?? []),
      ]),
      ...a.scores.flatMap((s) => s.inputs.map((i) => i.findingId)),
      ...a.recommendations.flatMap((r) => [
        ...r.findingIds,
        ...r.contraindicationsChecked.flatMap((c) => c.findingIds),
      ]),
      ...a.safety.flatMap((s) => s.findingIds),
    ].filter((id): id is string => !!id);
    for (const id of cited) expect(ids.has(id)).toBe(true);
  });
});
