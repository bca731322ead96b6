import type { RationaleApi } from '../api/rationale-api';
import { makeAssessment } from '../test-support/fixtures';
import { makeSession } from '../test-support/session';
import { LLM_MAX_POLLS, llmPollInterval, resolveLaunchAssessment } from './queries';

const pending = makeAssessment({
  llm: { status: 'pending', hypotheses: [], recommendations: [], reasoning: [], dropped: {} },
});

describe('llmPollInterval', () => {
  it('polls every 2 s while the LLM is pending, for about a minute', () => {
    expect(llmPollInterval(pending, 1)).toBe(2000);
    expect(llmPollInterval(pending, LLM_MAX_POLLS)).toBe(2000);
    expect(llmPollInterval(pending, LLM_MAX_POLLS + 1)).toBe(false);
    expect(llmPollInterval(pending, 45, 60)).toBe(2000);
  });

  it('stops once the LLM completes or fails, and never polls without one', () => {
    expect(llmPollInterval({ ...pending, llm: { ...pending.llm!, status: 'complete' } }, 1)).toBe(false);
    expect(llmPollInterval({ ...pending, llm: { ...pending.llm!, status: 'failed' } }, 1)).toBe(false);
    expect(llmPollInterval(makeAssessment(), 1)).toBe(false);
  });
});

describe('resolveLaunchAssessment', () => {
  const api = (latest: ReturnType<typeof makeAssessment> | null): jest.Mocked<RationaleApi> => ({
    getAssessment: jest.fn(),
    findLatestAssessment: jest.fn().mockResolvedValue(latest),
    createAssessment: jest.fn().mockResolvedValue(makeAssessment({ id: 'new' })),
    postFeedback: jest.fn(),
    getModelCard: jest.fn(),
  });

  it('uses appContext without asking the service anything', async () => {
    const service = api(null);
    await expect(resolveLaunchAssessment(service, makeSession({ appContext: 'a-9' }))).resolves.toEqual({
      assessmentId: 'a-9',
    });
    expect(service.findLatestAssessment).not.toHaveBeenCalled();
  });

  it('falls back to the latest stored assessment, then to computing one', async () => {
    const withLatest = api(makeAssessment({ id: 'old' }));
    expect((await resolveLaunchAssessment(withLatest, makeSession())).assessmentId).toBe('old');
    expect(withLatest.createAssessment).not.toHaveBeenCalled();
    const none = api(null);
    expect((await resolveLaunchAssessment(none, makeSession())).assessmentId).toBe('new');
    expect(none.findLatestAssessment).toHaveBeenCalledWith('p1', 'http://ehr.test/fhir');
    expect(none.createAssessment).toHaveBeenCalledWith({ fhirServer: 'http://ehr.test/fhir', patient: 'p1' });
  });
});
