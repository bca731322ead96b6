import { useId, useState } from 'react';
import Markdown from 'react-markdown';
import remarkGfm from 'remark-gfm';
import type { Card } from '../api';

type Suggestion = NonNullable<Card['suggestions']>[number];
type Link = NonNullable<Card['links']>[number];
type Coding = NonNullable<Card['overrideReasons']>[number];

export type CardOutcome =
  | { status: 'open' }
  | { status: 'working' }
  | { status: 'accepted'; message: string; acceptedSuggestions: string[] }
  | { status: 'overridden'; message: string }
  | { status: 'error'; message: string; acceptedSuggestions?: string[] };

export interface CdsCardProps {
  card: Card;
  serviceLabel: string;
  outcome: CardOutcome;
  onAccept: (suggestion: Suggestion) => void;
  onOverride: (reason: Coding | undefined, comment: string) => void;
  onLaunch: (link: Link) => void;
}

/**
 * One CDS card, as an EHR shows it: indicator, summary, GFM detail (raw HTML stripped, cds-hooks.md
 * pain point §13.7), source, suggestions, override with a reason, and links.
 */
export function CdsCard({ card, serviceLabel, outcome, onAccept, onOverride, onLaunch }: CdsCardProps) {
  const summaryId = useId();
  const [overriding, setOverriding] = useState(false);
  const [reasonIndex, setReasonIndex] = useState(0);
  const [comment, setComment] = useState('');
  const accepted =
    outcome.status === 'accepted' || outcome.status === 'error' ? (outcome.acceptedSuggestions ?? []) : [];
  const closed = outcome.status === 'overridden' || outcome.status === 'working';
  // at-most-one: once a suggestion is taken, the others are no longer offered.
  const exhausted = card.selectionBehavior === 'at-most-one' && accepted.length > 0;

  return (
    <article className={`cds-card indicator-${card.indicator}`} aria-labelledby={summaryId}>
      <header className="cds-card-header">
        <span className={`indicator-badge indicator-${card.indicator}`}>{card.indicator}</span>
        <h3 id={summaryId} className="cds-card-summary">
          {card.summary}
        </h3>
      </header>
      {card.detail && (
        <div className="cds-card-detail">
          <Markdown
            remarkPlugins={[remarkGfm]}
            skipHtml
            components={{
              a: ({ node: _node, ...props }) => <a {...props} target="_blank" rel="noopener noreferrer" />,
            }}
          >
            {card.detail}
          </Markdown>
        </div>
      )}
      <p className="cds-card-source">
        Source: {card.source.icon && <img src={card.source.icon} alt="" width={16} height={16} />}{' '}
        {card.source.url ? (
          <a href={card.source.url} target="_blank" rel="noopener noreferrer">
            {card.source.label}
          </a>
        ) : (
          card.source.label
        )}
        <span className="muted"> · {serviceLabel}</span>
      </p>

      {card.suggestions?.length ? (
        <ul className="cds-suggestions" aria-label="Suggestions">
          {card.suggestions.map((suggestion, i) => {
            const labelId = `${summaryId}-s${i}`;
            const key = suggestion.uuid ?? String(i);
            const done = accepted.includes(key);
            return (
              <li key={key} className={suggestion.isRecommended ? 'recommended' : undefined}>
                <span id={labelId}>
                  {suggestion.label}
                  {suggestion.isRecommended && <span className="muted"> (recommended)</span>}
                </span>
                {suggestion.actions?.length ? (
                  <ul className="muted small">
                    {suggestion.actions.map((a, j) => (
                      <li key={j}>
                        {a.type}: {a.description}
                      </li>
                    ))}
                  </ul>
                ) : null}
                <button
                  type="button"
                  aria-describedby={labelId}
                  disabled={done || closed || exhausted}
                  onClick={() => onAccept(suggestion)}
                >
                  {done ? 'Accepted' : 'Accept'}
                </button>
              </li>
            );
          })}
        </ul>
      ) : null}

      {card.links?.length ? (
        <div className="cds-links">
          {card.links.map((link, i) =>
            link.type === 'smart' ? (
              <button key={i} type="button" className="link-button" onClick={() => onLaunch(link)}>
                {link.label}
              </button>
            ) : (
              <a key={i} href={link.url} target="_blank" rel="noopener noreferrer" className="link-button">
                {link.label}
              </a>
            ),
          )}
        </div>
      ) : null}

      <div className="cds-card-footer">
        {outcome.status === 'open' && !overriding && (
          <button type="button" onClick={() => setOverriding(true)}>
            Override
          </button>
        )}
        {overriding && outcome.status === 'open' && (
          <form
            className="override-form"
            onSubmit={(event) => {
              event.preventDefault();
              setOverriding(false);
              onOverride(card.overrideReasons?.[reasonIndex], comment);
            }}
          >
            {card.overrideReasons?.length ? (
              <label>
                Override reason{' '}
                <select value={reasonIndex} onChange={(e) => setReasonIndex(Number(e.target.value))}>
                  {card.overrideReasons.map((r, i) => (
                    <option key={i} value={i}>
                      {r.display}
                    </option>
                  ))}
                </select>
              </label>
            ) : (
              <span className="muted">The service offers no override reasons.</span>
            )}
            <label>
              Comment <input value={comment} maxLength={500} onChange={(e) => setComment(e.target.value)} />
            </label>
            <button type="submit">Send override</button>
            <button type="button" onClick={() => setOverriding(false)}>
              Cancel
            </button>
          </form>
        )}
        {outcome.status === 'working' && <span role="status">Working…</span>}
        {(outcome.status === 'accepted' || outcome.status === 'overridden' || outcome.status === 'error') && (
          <span role="status" className={outcome.status === 'error' ? 'error' : 'ok'}>
            {outcome.message}
          </span>
        )}
      </div>
    </article>
  );
}
