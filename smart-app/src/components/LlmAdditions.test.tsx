import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import type { LlmAdditions as Llm } from '@rationale/shared-types';
import { makeAssessment } from '../test-support/fixtures';
import { LlmAdditions } from './LlmAdditions';

const assessment = makeAssessment();
const findings = new Map(assessment.findings.map((f) => [f.id, f]));
const citations = new Map(assessment.citations.map((c) => [c.id, c]));
const base: Llm = { status: 'pending', hypotheses: [], recommendations: [], reasoning: [], dropped: {} };

function renderLlm(llm: Llm, pollingStopped = false, onCheckAgain = jest.fn()) {
  render(
    <LlmAdditions
      llm={llm}
      findings={findings}
      citations={citations}
      onOpenFinding={jest.fn()}
      pollingStopped={pollingStopped}
      onCheckAgain={onCheckAgain}
    />,
  );
  return onCheckAgain;
}

describe('LlmAdditions', () => {
  it('offers to check again once polling has stopped on a pending result', async () => {
    const onCheckAgain = renderLlm(base, true);
    await userEvent.setup().click(screen.getByRole('button', { name: 'Check again' }));
    expect(onCheckAgain).toHaveBeenCalled();
  });

  it('says the reasoner failed without hiding the knowledge model’s output', () => {
    renderLlm({ ...base, status: 'timeout' });
    expect(screen.getByText(/did not answer in time/)).toBeInTheDocument();
  });

  it('labels the LLM’s hypotheses as its own, with their citations', () => {
    const hypothesis = {
      ...assessment.hypotheses[1]!,
      id: 'llm-1',
      label: 'Metabolic syndrome',
      origin: 'llm' as const,
    };
    renderLlm({ ...base, status: 'complete', hypotheses: [hypothesis] });
    expect(
      screen.getByRole('heading', { level: 2, name: 'AI reasoner (LLM) — verified against the record' }),
    ).toBeInTheDocument();
    expect(screen.getByRole('region', { name: 'Conditions the AI reasoner adds' })).toContainElement(
      screen.getByRole('listitem', { name: 'Metabolic syndrome' }),
    );
    expect(screen.getByRole('link', { name: /Standards of Care in Diabetes/ })).toBeInTheDocument();
  });
});
