import type { AppFeedbackRequest } from '@rationale/shared-types';
import { useId, useState } from 'react';

export type Verdict = AppFeedbackRequest['verdict'];
export type Reason = NonNullable<AppFeedbackRequest['reason']>;

export interface FeedbackInput {
  verdict: Verdict;
  reason?: Reason;
  comment?: string;
}

export const REASON_TEXT: Record<Reason, string> = {
  'incorrect-data': 'The data it used are wrong',
  'not-clinically-appropriate': 'Not clinically appropriate for this patient',
  'already-addressed': 'Already addressed',
  'patient-declined': 'Patient declined',
  'evidence-disputed': 'I dispute the evidence',
  other: 'Other',
};

export interface FeedbackControlProps {
  /** What the feedback is about, as shown to the user ("Type 2 diabetes"). */
  itemLabel: string;
  /** Sends the feedback; a rejection rolls the optimistic state back. */
  onSubmit: (input: FeedbackInput) => Promise<unknown>;
}

type Phase =
  | { kind: 'closed' }
  | { kind: 'editing'; error?: string }
  | { kind: 'saving'; sent: FeedbackInput }
  | { kind: 'saved'; sent: FeedbackInput };

function summary(input: FeedbackInput): string {
  const verdict = input.verdict === 'agree' ? 'You agree' : 'You disagree';
  return input.reason ? `${verdict} (${REASON_TEXT[input.reason]})` : verdict;
}

/**
 * Agree or disagree with one item, with an optional reason and comment. Optimistic: the verdict
 * shows as recorded the moment it is sent; if the service refuses it, the form comes back with
 * what was typed and the error.
 */
export function FeedbackControl({ itemLabel, onSubmit }: FeedbackControlProps) {
  const id = useId();
  const [phase, setPhase] = useState<Phase>({ kind: 'closed' });
  const [verdict, setVerdict] = useState<Verdict | undefined>(undefined);
  const [reason, setReason] = useState<Reason | ''>('');
  const [comment, setComment] = useState('');

  const submit = (event: React.FormEvent) => {
    event.preventDefault();
    if (!verdict) {
      setPhase({ kind: 'editing', error: 'Choose Agree or Disagree.' });
      return;
    }
    const input: FeedbackInput = { verdict };
    if (reason) input.reason = reason;
    if (comment.trim()) input.comment = comment.trim();
    setPhase({ kind: 'saving', sent: input });
    onSubmit(input).then(
      () => setPhase({ kind: 'saved', sent: input }),
      (error: unknown) =>
        setPhase({
          kind: 'editing',
          error: `Your feedback was not saved: ${error instanceof Error ? error.message : String(error)} Try again.`,
        }),
    );
  };

  if (phase.kind === 'closed') {
    return (
      <div className="feedback">
        <button
          type="button"
          className="secondary"
          aria-expanded="false"
          onClick={() => setPhase({ kind: 'editing' })}
        >
          Give feedback<span className="visually-hidden"> on {itemLabel}</span>
        </button>
      </div>
    );
  }

  if (phase.kind === 'saving' || phase.kind === 'saved') {
    return (
      <div className="feedback">
        <p role="status" className="feedback-recorded">
          {summary(phase.sent)}. {phase.kind === 'saving' ? 'Saving…' : 'Feedback saved, thank you.'}
        </p>
      </div>
    );
  }

  return (
    <form className="feedback feedback-form" onSubmit={submit} aria-label={`Feedback on ${itemLabel}`}>
      <fieldset>
        <legend>Do you agree with “{itemLabel}”?</legend>
        <label>
          <input
            type="radio"
            name={`${id}-verdict`}
            value="agree"
            checked={verdict === 'agree'}
            onChange={() => setVerdict('agree')}
          />{' '}
          Agree
        </label>
        <label>
          <input
            type="radio"
            name={`${id}-verdict`}
            value="disagree"
            checked={verdict === 'disagree'}
            onChange={() => setVerdict('disagree')}
          />{' '}
          Disagree
        </label>
      </fieldset>
      <label htmlFor={`${id}-reason`}>Reason</label>
      <select
        id={`${id}-reason`}
        value={reason}
        onChange={(event) => setReason(event.target.value as Reason | '')}
      >
        <option value="">No reason given</option>
        {(Object.keys(REASON_TEXT) as Reason[]).map((key) => (
          <option key={key} value={key}>
            {REASON_TEXT[key]}
          </option>
        ))}
      </select>
      <label htmlFor={`${id}-comment`}>Comment (optional)</label>
      <textarea
        id={`${id}-comment`}
        value={comment}
        maxLength={2000}
        rows={2}
        onChange={(event) => setComment(event.target.value)}
      />
      {phase.error ? (
        <p role="alert" className="field-error">
          {phase.error}
        </p>
      ) : null}
      <div className="button-row">
        <button type="submit">Send feedback</button>
        <button type="button" className="secondary" onClick={() => setPhase({ kind: 'closed' })}>
          Cancel
        </button>
      </div>
    </form>
  );
}
