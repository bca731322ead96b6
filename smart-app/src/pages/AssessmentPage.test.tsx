import type { Assessment } from '@rationale/shared-types';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { createRationaleApi } from '../api/rationale-api';
import {
  API_BASE,
  FHIR_BASE,
  makeAssessment,
  modelCard,
  observationA1c,
  patientP1,
} from '../test-support/fixtures';
import { ACCESS_TOKEN, makeSession } from '../test-support/session';
import { AssessmentPage } from './AssessmentPage';

const fhirReads: { url: string; authorization: string | null }[] = [];
const server = setupServer();
beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
beforeEach(() => {
  fhirReads.length = 0;
  server.use(
    http.get(`${FHIR_BASE}/:type/:id`, ({ request, params }) => {
      fhirReads.push({ url: request.url, authorization: request.headers.get('authorization') });
      if (params.type === 'Patient') return HttpResponse.json(patientP1);
      if (params.type === 'Observation' && params.id === 'a1c-1') return HttpResponse.json(observationA1c);
      if (params.type === 'Observation' && params.id === 'egfr-2') {
        return HttpResponse.json({
          resourceType: 'Observation',
          id: 'egfr-2',
          status: 'final',
          code: { text: 'eGFR (CKD-EPI 2021)' },
          valueQuantity: { value: 49, unit: 'mL/min/1.73m²' },
          effectiveDateTime: '2025-10-03',
        });
      }
      if (params.type === 'Observation' && params.id === 'egfr-1')
        return new HttpResponse(null, { status: 403 });
      return new HttpResponse(null, { status: 404 });
    }),
    http.get(`${API_BASE}/model-card`, () => HttpResponse.json(modelCard)),
  );
});
afterEach(() => server.resetHandlers());
afterAll(() => server.close());

function renderPage(assessment: Assessment, tokenResponse = {}) {
  const queryClient = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  const session = makeSession({ need_patient_banner: false, ...tokenResponse });
  const api = createRationaleApi({ baseUrl: API_BASE, accessToken: () => session.accessToken() });
  server.use(http.get(`${API_BASE}/assessments/${assessment.id}`, () => HttpResponse.json(assessment)));
  render(
    <QueryClientProvider client={queryClient}>
      <AssessmentPage api={api} session={session} assessmentId={assessment.id} />
    </QueryClientProvider>,
  );
  return { queryClient };
}

describe('finding → FHIR resource', () => {
  it('opens the Observation a finding came from, read with the app’s token, in a dialog named by its code', async () => {
    const user = userEvent.setup();
    renderPage(makeAssessment());
    const hypothesis = await screen.findByRole('listitem', { name: 'Type 2 diabetes' });
    const finding = within(hypothesis).getByRole('button', { name: 'HbA1c 7.2 %' });
    await user.click(finding);

    const dialog = await screen.findByRole('dialog', { name: 'Hemoglobin A1c/Hemoglobin.total in Blood' });
    expect(dialog).toHaveAttribute('aria-modal', 'true');
    expect(within(dialog).getByText('Value').nextSibling).toHaveTextContent('7.2 %');
    expect(within(dialog).getByText('Date').nextSibling).toHaveTextContent('20 Feb 2026, 09:30');
    expect(within(dialog).getByText('Reference range').nextSibling).toHaveTextContent('4 % – 5.6 %');
    expect(within(dialog).getByText('Status').nextSibling).toHaveTextContent('final');
    expect(within(dialog).getByText('Codes').nextSibling).toHaveTextContent('LOINC 4548-4');
    expect(fhirReads.find((r) => r.url === `${FHIR_BASE}/Observation/a1c-1`)?.authorization).toBe(
      `Bearer ${ACCESS_TOKEN}`,
    );

    // Focus moves into the dialog, Tab stays inside, Escape closes it and focus returns to the finding.
    expect(within(dialog).getByRole('button', { name: 'Close' })).toHaveFocus();
    await user.tab();
    expect(dialog).toContainElement(document.activeElement as HTMLElement);
    await user.keyboard('{Escape}');
    expect(screen.queryByRole('dialog')).toBeNull();
    expect(finding).toHaveFocus();
  });

  it('lets the user switch between the sources of a finding, and explains a 403 on one of them', async () => {
    const user = userEvent.setup();
    renderPage(makeAssessment());
    const ckd = await screen.findByRole('listitem', { name: 'Chronic kidney disease' });
    await user.click(within(ckd).getByRole('button', { name: 'eGFR 52 mL/min/1.73m²' }));
    const dialog = await screen.findByRole('dialog');
    expect(await within(dialog).findByRole('alert')).toHaveTextContent(
      /does not include reading this resource/,
    );

    await user.click(within(dialog).getByRole('button', { name: 'eGFR Oct' }));
    expect(await screen.findByRole('dialog', { name: 'eGFR (CKD-EPI 2021)' })).toHaveTextContent(
      '49 mL/min/1.73m²',
    );
    expect(within(screen.getByRole('dialog')).getByRole('button', { name: 'eGFR Oct' })).toHaveAttribute(
      'aria-current',
      'true',
    );
  });
});

describe('feedback', () => {
  it('posts agree/disagree with reason and comment for a hypothesis, showing it as recorded at once', async () => {
    const user = userEvent.setup();
    const bodies: unknown[] = [];
    let release: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => (release = resolve));
    server.use(
      http.post(`${API_BASE}/feedback`, async ({ request }) => {
        bodies.push({ body: await request.json(), authorization: request.headers.get('authorization') });
        await gate;
        return HttpResponse.json({ id: 'fb-1', recordedAt: '2026-03-02T15:00:00Z' }, { status: 201 });
      }),
    );
    renderPage(makeAssessment());
    const item = await screen.findByRole('listitem', { name: 'Type 2 diabetes' });
    await user.click(within(item).getByRole('button', { name: 'Give feedback on Type 2 diabetes' }));
    const form = within(item).getByRole('form', { name: 'Feedback on Type 2 diabetes' });
    await user.click(within(form).getByRole('radio', { name: 'Disagree' }));
    await user.selectOptions(within(form).getByRole('combobox', { name: 'Reason' }), 'already-addressed');
    await user.type(
      within(form).getByRole('textbox', { name: 'Comment (optional)' }),
      'Seen by endocrinology',
    );
    await user.click(within(form).getByRole('button', { name: 'Send feedback' }));

    // Optimistic: the verdict shows before the service has answered.
    expect(within(item).getByRole('status')).toHaveTextContent('You disagree (Already addressed). Saving…');
    release();
    expect(await within(item).findByText(/Feedback saved/)).toBeInTheDocument();
    expect(bodies).toEqual([
      {
        authorization: `Bearer ${ACCESS_TOKEN}`,
        body: {
          assessmentId: 'assessment-1',
          target: { type: 'hypothesis', id: 'h-t2d', key: 't2d' },
          verdict: 'disagree',
          reason: 'already-addressed',
          comment: 'Seen by endocrinology',
        },
      },
    ]);
  });

  it('rolls back and keeps what was typed when the service refuses the feedback', async () => {
    const user = userEvent.setup();
    server.use(
      http.post(`${API_BASE}/feedback`, () =>
        HttpResponse.json(
          {
            resourceType: 'OperationOutcome',
            issue: [{ severity: 'error', code: 'invalid', diagnostics: 'comment too long' }],
          },
          { status: 400 },
        ),
      ),
    );
    renderPage(makeAssessment());
    const item = await screen.findByRole('listitem', { name: 'Start a moderate-intensity statin' });
    await user.click(within(item).getByRole('button', { name: /Give feedback/ }));
    await user.click(within(item).getByRole('radio', { name: 'Agree' }));
    await user.type(within(item).getByRole('textbox', { name: 'Comment (optional)' }), 'Good call');
    await user.click(within(item).getByRole('button', { name: 'Send feedback' }));
    expect(await within(item).findByRole('alert')).toHaveTextContent(/not saved: .*comment too long/);
    expect(within(item).getByRole('radio', { name: 'Agree' })).toBeChecked();
    expect(within(item).getByRole('textbox', { name: 'Comment (optional)' })).toHaveValue('Good call');
  });
});

describe('sections', () => {
  it('shows order-safety findings for an order-sign launch, and not for patient-view', async () => {
    const alert: Assessment['safety'][number] = {
      id: 's1',
      ruleId: 'renal-metformin-egfr-30',
      type: 'drug-renal',
      severity: 'high',
      contraindicated: true,
      order: { reference: 'MedicationRequest/draft-1', label: 'metformin 1000 mg twice daily' },
      title: 'Metformin is contraindicated below eGFR 30',
      detail: 'eGFR 24 on 2026-02-01.',
      findingIds: ['f-egfr'],
      alternative: {
        resourceType: 'MedicationRequest',
        code: { system: 'http://www.nlm.nih.gov/research/umls/rxnorm', code: '1', display: 'linagliptin' },
        instruction: 'linagliptin 5 mg once daily',
      },
      citationIds: [],
    };
    renderPage(makeAssessment({ hook: 'order-sign', safety: [alert] }));
    const section = await screen.findByRole('region', { name: 'Order safety' });
    expect(
      within(section).getByRole('listitem', { name: 'Metformin is contraindicated below eGFR 30' }),
    ).toHaveTextContent('high severity, contraindicated');
    expect(section).toHaveTextContent('Safer alternative: linagliptin 5 mg once daily');
  });

  it('omits the order-safety section for a patient-view launch', async () => {
    renderPage(makeAssessment());
    await screen.findByRole('heading', { name: 'Differential' });
    expect(screen.queryByRole('region', { name: 'Order safety' })).toBeNull();
  });

  it('shows the model card fetched from the service', async () => {
    renderPage(makeAssessment());
    const card = await screen.findByRole('region', { name: 'Model card' });
    expect(
      await within(card).findByText(
        'Support adult primary-care clinicians in spotting undiagnosed chronic disease.',
      ),
    ).toBeInTheDocument();
  });

  it('shows the patient banner from the FHIR Patient when need_patient_banner is true', async () => {
    renderPage(makeAssessment(), { need_patient_banner: true });
    const banner = await screen.findByRole('region', { name: 'Patient' });
    expect(await within(banner).findByText('Ana María Rivera')).toBeInTheDocument();
  });

  it('marks the LLM reasoner’s additions and says while they are pending', async () => {
    renderPage(
      makeAssessment({
        llm: { status: 'pending', hypotheses: [], recommendations: [], reasoning: [], dropped: {} },
      }),
    );
    const section = await screen.findByRole('region', {
      name: 'AI reasoner (LLM) — verified against the record',
    });
    expect(within(section).getByRole('status')).toHaveTextContent('still working');
  });

  it('picks up completed LLM additions on the next poll', async () => {
    const pending = makeAssessment({
      llm: { status: 'pending', hypotheses: [], recommendations: [], reasoning: [], dropped: {} },
    });
    const { queryClient } = renderPage(pending);
    await screen.findByRole('region', { name: 'AI reasoner (LLM) — verified against the record' });
    const complete = makeAssessment({
      llm: {
        status: 'complete',
        model: 'llama-3.1-8b',
        hypotheses: [],
        recommendations: [],
        reasoning: [
          {
            text: 'HbA1c above threshold once; repeat to confirm.',
            findingIds: ['f-a1c'],
            citationIds: ['ada-2025'],
          },
        ],
        dropped: { 'unknown-finding': 1 },
      },
    });
    server.use(http.get(`${API_BASE}/assessments/assessment-1`, () => HttpResponse.json(complete)));
    // What the 2 s poll does, without waiting for a clock.
    await queryClient.refetchQueries({ queryKey: ['assessment', 'assessment-1'] });
    const section = screen.getByRole('region', { name: 'AI reasoner (LLM) — verified against the record' });
    await waitFor(() => expect(section).toHaveTextContent('HbA1c above threshold once; repeat to confirm.'));
    expect(within(section).getByRole('button', { name: 'HbA1c 7.2 %' })).toBeInTheDocument();
    expect(section).toHaveTextContent('1 cited data not in the record');
    expect(section).toHaveTextContent('Model: llama-3.1-8b');
  });
});
