import { cardSchema, type Card } from '@rationale/shared-types';
import { renderCards } from './index';
import {
  assessmentWith,
  ckdHypothesis,
  heartFailureHypothesis,
  penicillinAllergyAlert,
  renderOptions,
  statinRecommendation,
  typicalAssessment,
  uacrRecommendation,
  warfarinNsaidAlert,
  renderAllHooks,
} from './fixtures';
import { containsHtml } from './text';

function only(
  assessment: Parameters<typeof renderCards>[0],
  hook: 'patient-view' | 'order-sign' = 'patient-view',
): Card {
  const result = renderCards(assessment, renderOptions({ hook, budget: 10 }));
  const first = result.cards[0];
  if (!first || result.cards.length !== 1) throw new Error(`expected one card, got ${result.cards.length}`);
  return first.card;
}

const LONG_DRUG =
  'hydroxychloroquine-sulfamethoxazole-trimethoprim-dextromethorphan-pseudoephedrine extended-release oral suspension';
const LONG_CONDITION =
  'Chronic kidney disease associated with hypertensive nephrosclerosis and type 2 diabetes mellitus with diabetic nephropathy and albuminuria';

describe('summaries', () => {
  it('states a suggested diagnosis with its values and their spacing in time', () => {
    expect(only(assessmentWith({ hypotheses: [ckdHypothesis()] })).summary).toBe(
      'CKD G3a (suggested): eGFR 52 and 49, 4 months apart',
    );
  });

  it('gives the estimate for a diagnosis suggested by probability rather than criteria', () => {
    const card = only(
      assessmentWith({ hypotheses: [ckdHypothesis({ criteria: undefined, posterior: 0.71 })] }),
    );
    expect(card.summary).toBe('CKD G3a (suggested, est. 71%): eGFR 49, Type 2 diabetes mellitus');
  });

  it('states a recommendation with the inputs that trigger it', () => {
    expect(only(assessmentWith({ recommendations: [statinRecommendation()] })).summary).toBe(
      'Start moderate-intensity statin: diabetes, age 58, LDL 132 mg/dL',
    );
  });

  it('states an order-safety problem as the model titles it', () => {
    expect(only(assessmentWith({ safety: [warfarinNsaidAlert()] }), 'order-sign').summary).toBe(
      'Warfarin + ibuprofen: major bleeding risk',
    );
  });

  it('adds the measured value to a safety title that has no number', () => {
    const alert = warfarinNsaidAlert({
      ruleId: 'renal-metformin-egfr-30',
      type: 'drug-renal',
      title: 'Metformin with reduced kidney function',
      findingIds: ['f-egfr-2'],
    });
    expect(only(assessmentWith({ safety: [alert] }), 'order-sign').summary).toBe(
      'Metformin with reduced kidney function: eGFR 49',
    );
  });

  it('lets a title that states the value stand alone, but not one with a digit in a name', () => {
    const a1c = statinRecommendation({
      ruleId: 't2d-a1c-above-goal',
      title: 'Intensify glucose-lowering therapy: A1c 7.4% above the < 7% goal',
      rationale: 'Type 2 diabetes; A1c 7.4 % (2026-03-02). On metformin; add a GLP-1 receptor agonist.',
    });
    expect(only(assessmentWith({ recommendations: [a1c] })).summary).toBe(
      'Intensify glucose-lowering therapy: A1c 7.4% above the < 7% goal',
    );
    const sglt2 = statinRecommendation({
      ruleId: 'ckd-sglt2i',
      title: 'Start an SGLT2 inhibitor for CKD',
      rationale:
        'CKD with eGFR 49 mL/min/1.73m² (2026-05-14) (20 or more) and type 2 diabetes; no SGLT2 inhibitor active. Also indicated by t2d-cardiorenal-protection.',
    });
    expect(only(assessmentWith({ recommendations: [sglt2] })).summary).toBe(
      'Start an SGLT2 inhibitor for CKD: CKD with eGFR 49 and type 2 diabetes, no SGLT2 inhibitor active',
    );
  });

  it('drops label prefixes and remarks from the rationale’s specifics', () => {
    const statin = statinRecommendation({
      title: 'Start a high-intensity statin',
      rationale:
        'Diabetes, age 58, Pooled Cohort Equations: 10-year ASCVD risk 17.7%; risk factors: chronic kidney disease; LDL-C 132 mg/dL (2026-03-02); no active statin.',
    });
    expect(only(assessmentWith({ recommendations: [statin] })).summary).toBe(
      'Start a high-intensity statin: diabetes, age 58, 10-year ASCVD risk 17.7%, chronic kidney disease, LDL-C 132 mg/dL, no active statin',
    );
  });

  it('stays under 140 characters with very long drug and condition names, cutting at a word boundary', () => {
    const cards = [
      only(assessmentWith({ hypotheses: [ckdHypothesis({ label: LONG_CONDITION, stage: 'G3a A3' })] })),
      only(
        assessmentWith({
          recommendations: [statinRecommendation({ title: `Start ${LONG_DRUG} for ${LONG_CONDITION}` })],
        }),
      ),
      only(
        assessmentWith({
          safety: [
            warfarinNsaidAlert({ title: `Warfarin + ${LONG_DRUG}: major bleeding risk with ${LONG_DRUG}` }),
          ],
        }),
        'order-sign',
      ),
      only(assessmentWith({ safety: [warfarinNsaidAlert({ title: 'X'.repeat(400) })] }), 'order-sign'),
    ];
    for (const card of cards) {
      expect(card.summary.length).toBeLessThan(140);
      expect(cardSchema.safeParse(card).success).toBe(true);
    }
    const [dx, rx, safety] = cards;
    expect(dx?.summary).toMatch(/^Chronic kidney disease associated with .*…$/);
    // Cut between words: the text before the ellipsis is a prefix of the full title ending at a whole word.
    const full = `Start ${LONG_DRUG} for ${LONG_CONDITION}`;
    const kept = rx?.summary.replace(/…$/, '') ?? '';
    expect(full.startsWith(kept)).toBe(true);
    expect(full.charAt(kept.length)).toBe(' ');
    expect(safety?.summary.startsWith('Warfarin + hydroxychloroquine')).toBe(true);
  });

  it('drops trailing specifics before cutting the head, so the first numbers survive', () => {
    const rationale = `Diabetes, age 58, LDL 132 mg/dL, ${Array.from({ length: 12 }, (_, i) => `extra input ${i}`).join(', ')}`;
    const summary = only(assessmentWith({ recommendations: [statinRecommendation({ rationale })] })).summary;
    expect(summary.length).toBeLessThan(140);
    expect(summary.startsWith('Start moderate-intensity statin: diabetes, age 58, LDL 132 mg/dL')).toBe(true);
    expect(summary).not.toContain('…');
  });
});

describe('detail', () => {
  it('shows the diagnosis findings with values and dates, the criteria, the score, the next test and the linked citation', () => {
    const detail = only(assessmentWith({ hypotheses: [ckdHypothesis()] })).detail ?? '';
    expect(detail).toContain('**CKD G3a: suggested**, not on the problem list');
    expect(detail).toContain('eGFR 52 and 49, 4 months apart');
    expect(detail).toContain('**Criteria met:** KDIGO: eGFR below 60 mL/min/1.73m² for more than 3 months');
    expect(detail).toContain('**Score:**');
    expect(detail).toContain('**Do:** Urine albumin-creatinine ratio would settle it');
    expect(detail).toContain(
      'Evidence: [KDIGO 2024 Clinical Practice Guideline for the Evaluation and…](https://doi.org/10.1016/j.kint.2023.10.018)',
    );
  });

  it('says a diagnosis suggested on the record is, while its criteria are not met, rather than that the data meet them', () => {
    const base = ckdHypothesis();
    const onRecord = ckdHypothesis({
      criteria: base.criteria ? { ...base.criteria, met: false } : undefined,
    });
    const detail = only(assessmentWith({ hypotheses: [onRecord] })).detail ?? '';
    expect(detail).toContain(
      'the record shows its treatment or care, though its diagnostic criteria are not met',
    );
    expect(detail).not.toContain('the data meet its diagnostic criteria');
    expect(detail).toContain('**Criteria not yet met:**');
  });

  it('does not say the data meet diagnostic criteria for a suggestion that has none to check', () => {
    const suggested = ckdHypothesis({ criteria: undefined });
    const detail = only(assessmentWith({ hypotheses: [suggested] })).detail ?? '';
    expect(detail).toContain('not on the problem list; the record points to it');
    expect(detail).not.toContain('the data meet its diagnostic criteria');
    expect(detail).toContain('no guideline criteria to check');
  });

  it('shows the gap, the strength, the inputs, the risk score, the contraindications checked and the proposed order', () => {
    const detail = only(assessmentWith({ recommendations: [statinRecommendation()] })).detail ?? '';
    expect(detail).toContain(
      '**Start moderate-intensity statin** (ACC/AHA class 1, level A). Diabetes, age 58, LDL 132 mg/dL (2026-03-02)',
    );
    // The score the rule uses is named, and why; the other estimate of the same risk is left to the app.
    expect(detail).toContain('**Score:** PCE 10-year ASCVD risk 14.2%, the score this rule uses');
    expect(detail).toContain('**Do:** Order atorvastatin 20 mg orally once daily');
    expect(detail).toMatch(/\d+ contraindications? checked, none found/);
    expect(detail).toContain('](https://doi.org/10.1161/CIR.0000000000000625)');
  });

  it('says when a recommendation rests on incomplete data, with the gaps', () => {
    const detail =
      only(assessmentWith({ recommendations: [statinRecommendation({ dataComplete: false })] })).detail ?? '';
    expect(detail).toContain('Some inputs are missing or old: check them first.');
  });

  it('shows the draft order, the patient data checked, the alternative and a DOI link for a safety alert', () => {
    const detail = only(assessmentWith({ safety: [penicillinAllergyAlert()] }), 'order-sign').detail ?? '';
    expect(detail).toContain('Contraindicated; high severity (drug–allergy)');
    expect(detail).toContain('Draft order: amoxicillin 500 mg capsule.');
    expect(detail).toContain('**Patient data:** Penicillin allergy');
    expect(detail).toContain('**Safer alternative:** azithromycin 500 mg');
    expect(detail).toContain('(https://doi.org/10.1016/j.jaci.2022.08.028)');
  });

  it('is short: at most five paragraphs, no model version or source boilerplate', () => {
    const assessment = assessmentWith({
      hypotheses: [ckdHypothesis()],
      recommendations: [statinRecommendation({ dataComplete: false })],
    });
    for (const { card } of renderCards(assessment, renderOptions()).cards) {
      const detail = card.detail ?? '';
      expect(detail.split(/\n\n/).length).toBeLessThanOrEqual(5);
      expect(detail).not.toContain(assessment.model.version);
      expect(detail.length).toBeLessThan(800);
    }
  });

  it('never carries raw HTML, even when model text contains tags', () => {
    const assessment = assessmentWith({
      hypotheses: [
        ckdHypothesis({ rationale: 'eGFR <b>49</b> <script>alert(1)</script>', label: '<i>CKD</i>' }),
      ],
      recommendations: [statinRecommendation({ rationale: 'LDL <span>132</span>, eGFR < 60' })],
    });
    for (const { card } of renderCards(assessment, renderOptions()).cards) {
      expect(containsHtml(card.detail ?? '')).toBe(false);
    }
    const statin = renderCards(assessment, renderOptions()).cards[0]?.card.detail ?? '';
    expect(statin).toContain('eGFR < 60');
  });
});

describe('source, link and override reasons', () => {
  const all = renderAllHooks(
    typicalAssessment({ safety: [warfarinNsaidAlert(), penicillinAllergyAlert()] }),
    {
      budget: 10,
      thresholds: { minSuggestedPosterior: 0.2 },
    },
  ).cards.map((c) => c.card);

  it('labels the source, links its first citation and files each card under a stable alphanumeric topic', () => {
    expect(all.map((c) => c.source.topic?.code)).toEqual([
      'safetyallergypenicillin',
      'safetyddiwarfarinnsaid',
      'rxstatindiabetes4075',
      'rxsglt2it2dckd',
      'dxckd',
      'rxdiabetesuacrannual',
      'dxhfref',
    ]);
    for (const card of all) {
      expect(card.source.label).toBe('Rationale');
      expect(card.source.topic?.system).toBe('https://rationale.health/cds/topic');
      expect(card.source.topic?.code).toMatch(/^[a-z0-9]{1,100}$/);
    }
    // The link resolves to the guideline itself: its DOI before any landing page.
    expect(all[2]?.source.url).toBe('https://doi.org/10.1161/CIR.0000000000000625');
    expect(all[0]?.source.url).toBe('https://doi.org/10.1016/j.jaci.2022.08.028');
  });

  it('keeps the topic code when the values behind the card change', () => {
    const other = only(
      assessmentWith({ hypotheses: [ckdHypothesis({ stage: 'G4', posterior: 0.99, rationale: 'eGFR 22' })] }),
    );
    expect(other.source.topic?.code).toBe('dxckd');
  });

  it("links every card to the reasoning app, its appContext naming the assessment and the card's own item", () => {
    const assessment = typicalAssessment({ safety: [warfarinNsaidAlert(), penicillinAllergyAlert()] });
    const itemIds = new Set(
      [...assessment.hypotheses, ...assessment.recommendations, ...assessment.safety].map((i) => i.id),
    );
    const items: string[] = [];
    for (const card of all) {
      expect(card.links).toEqual([
        {
          label: 'Review the reasoning',
          url: 'https://app.rationale.example/launch',
          type: 'smart',
          appContext: expect.any(String) as unknown,
        },
      ]);
      const context = JSON.parse(card.links?.[0]?.appContext ?? '') as { assessmentId: string; item: string };
      expect(context.assessmentId).toBe('asmt-1');
      expect(itemIds.has(context.item)).toBe(true);
      items.push(context.item);
    }
    // One card per item: each opens the app on a different one.
    expect(new Set(items).size).toBe(all.length);
  });

  it('sends no link when no app launch URL is configured', () => {
    const result = renderCards(typicalAssessment(), renderOptions({ appLaunchUrl: undefined }));
    expect(result.cards.every((c) => c.card.links === undefined)).toBe(true);
  });

  it('offers override reasons with a display on every card, and "benefit outweighs risk" on safety cards only', () => {
    for (const card of all) {
      const codes = card.overrideReasons?.map((r) => r.code) ?? [];
      expect(codes).toEqual(
        expect.arrayContaining([
          'action-completed',
          'cds-not-applicable',
          'patient-declined',
          'data-incorrect',
        ]),
      );
      expect(card.overrideReasons?.every((r) => r.display && r.system)).toBe(true);
      expect(codes.includes('benefit-outweighs-risk')).toBe(card.source.topic?.code.startsWith('safety'));
    }
  });
});

describe('suggestions', () => {
  it('proposes a draft MedicationRequest coded in RxNorm for a treatment gap', () => {
    const card = only(assessmentWith({ recommendations: [statinRecommendation()] }));
    expect(card.selectionBehavior).toBe('any');
    expect(card.suggestions).toEqual([
      {
        label: 'Order atorvastatin 20 mg orally once daily',
        uuid: 'uuid-2',
        isRecommended: true,
        actions: [
          {
            type: 'create',
            description: 'Order atorvastatin 20 mg orally once daily',
            resource: {
              resourceType: 'MedicationRequest',
              status: 'draft',
              intent: 'order',
              medicationCodeableConcept: {
                coding: [
                  {
                    system: 'http://www.nlm.nih.gov/research/umls/rxnorm',
                    code: '83367',
                    display: 'atorvastatin',
                  },
                ],
                text: 'atorvastatin',
              },
              subject: { reference: 'Patient/p1' },
              dosageInstruction: [{ text: 'atorvastatin 20 mg orally once daily' }],
            },
          },
        ],
      },
    ]);
  });

  it('proposes a draft ServiceRequest coded in LOINC for a missing test', () => {
    const resource = only(assessmentWith({ recommendations: [uacrRecommendation()] })).suggestions?.[0]
      ?.actions?.[0]?.resource;
    expect(resource).toMatchObject({
      resourceType: 'ServiceRequest',
      status: 'draft',
      intent: 'order',
      code: { coding: [{ system: 'http://loinc.org', code: '9318-7' }] },
      subject: { reference: 'Patient/p1' },
    });
  });

  it('lets the clinician choose one of several proposed orders', () => {
    const rec = statinRecommendation({
      proposedOrders: [
        ...statinRecommendation().proposedOrders,
        {
          resourceType: 'MedicationRequest',
          code: {
            system: 'http://www.nlm.nih.gov/research/umls/rxnorm',
            code: '301542',
            display: 'rosuvastatin',
          },
          instruction: 'rosuvastatin 10 mg orally once daily',
        },
      ],
    });
    const card = only(assessmentWith({ recommendations: [rec] }));
    expect(card.selectionBehavior).toBe('at-most-one');
    expect(card.suggestions?.map((s) => [s.label, s.isRecommended])).toEqual([
      ['Order atorvastatin 20 mg orally once daily', true],
      ['Order rosuvastatin 10 mg orally once daily', false],
    ]);
  });

  it('proposes a provisional problem-list Condition, SNOMED CT first, for a diagnosis whose criteria are met', () => {
    const card = only(assessmentWith({ hypotheses: [ckdHypothesis()] }));
    const suggestion = card.suggestions?.[0];
    expect(suggestion?.label).toBe('Add CKD G3a to the problem list');
    expect(suggestion?.isRecommended).toBe(true);
    expect(suggestion?.actions?.[0]?.resource).toMatchObject({
      resourceType: 'Condition',
      verificationStatus: { coding: [{ code: 'provisional' }] },
      category: [{ coding: [{ code: 'problem-list-item' }] }],
      code: {
        coding: [
          { system: 'http://snomed.info/sct', code: '700379002' },
          { system: 'http://hl7.org/fhir/sid/icd-10-cm', code: 'N18.31' },
        ],
      },
      subject: { reference: 'Patient/p1' },
    });
  });

  it('marks a diagnosis suggested by probability alone as unconfirmed and does not pre-select it', () => {
    const card = only(assessmentWith({ hypotheses: [heartFailureHypothesis({ posterior: 0.8 })] }));
    expect(card.suggestions?.[0]?.isRecommended).toBe(false);
    expect(card.suggestions?.[0]?.actions?.[0]?.resource).toMatchObject({
      verificationStatus: { coding: [{ code: 'unconfirmed' }] },
    });
  });

  it('offers no problem-list suggestion without a SNOMED CT code', () => {
    const card = only(assessmentWith({ hypotheses: [ckdHypothesis({ codes: [] })] }));
    expect(card.suggestions).toBeUndefined();
    expect(card.selectionBehavior).toBeUndefined();
  });

  it('offers to replace the draft order with the alternative, or to remove it, for a safety alert', () => {
    const card = only(assessmentWith({ safety: [warfarinNsaidAlert()] }), 'order-sign');
    expect(card.selectionBehavior).toBe('at-most-one');
    const [replace, remove] = card.suggestions ?? [];
    expect(replace?.label).toBe('Replace ibuprofen 400 mg tablet with acetaminophen');
    expect(replace?.isRecommended).toBe(true);
    expect(replace?.actions?.map((a) => a.type)).toEqual(['delete', 'create']);
    expect(replace?.actions?.[0]).toEqual({
      type: 'delete',
      description: 'Remove the draft order: ibuprofen 400 mg tablet',
      resourceId: 'MedicationRequest/draft-1',
    });
    expect(replace?.actions?.[1]?.resource).toMatchObject({
      resourceType: 'MedicationRequest',
      status: 'draft',
      medicationCodeableConcept: { coding: [{ code: '161' }] },
    });
    expect(remove?.actions).toEqual([replace?.actions?.[0]]);
  });

  it('offers removal alone when there is no safer alternative', () => {
    const card = only(
      assessmentWith({ safety: [warfarinNsaidAlert({ alternative: undefined })] }),
      'order-sign',
    );
    expect(card.selectionBehavior).toBe('any');
    expect(card.suggestions?.map((s) => s.actions?.map((a) => a.type))).toEqual([['delete']]);
  });
});
