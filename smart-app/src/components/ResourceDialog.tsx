import type { Finding } from '@rationale/shared-types';
import { useEffect, useId, useRef } from 'react';
import type { AppError } from '../errors';
import { summarizeResource } from './resource-summary';

export type ResourceResult =
  { status: 'pending' } | { status: 'error'; error: AppError } | { status: 'success'; resource: unknown };

export interface ResourceDialogProps {
  finding: Finding;
  /** The source currently shown (one of finding.sources). */
  reference: string;
  result: ResourceResult;
  onSelectSource: (reference: string) => void;
  onClose: () => void;
}

const READ_ERRORS: Partial<Record<AppError['code'], string>> = {
  'scope-denied':
    'Your access from this launch does not include reading this resource. The EHR granted fewer permissions than Rationale asked for; ask your EHR administrator to grant read access to this resource type.',
  'session-expired': 'Your session has expired. Close the app and launch it again from the EHR.',
  'not-found':
    'This resource is no longer on the FHIR server: it may have been corrected or removed since the assessment was made.',
};

/**
 * The FHIR resource a finding came from, read with the app's token: a modal dialog named by the
 * resource's code display. Focus moves into the dialog, stays there while it is open (Tab wraps),
 * Escape closes it, and focus returns to the finding that opened it.
 */
export function ResourceDialog({ finding, reference, result, onSelectSource, onClose }: ResourceDialogProps) {
  const titleId = useId();
  const dialogRef = useRef<HTMLDivElement>(null);
  const closeRef = useRef<HTMLButtonElement>(null);

  useEffect(() => {
    const returnTo = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    closeRef.current?.focus();
    return () => returnTo?.focus();
  }, []);

  const onKeyDown = (event: React.KeyboardEvent) => {
    if (event.key === 'Escape') {
      event.stopPropagation();
      onClose();
      return;
    }
    if (event.key !== 'Tab' || !dialogRef.current) return;
    const focusable = dialogRef.current.querySelectorAll<HTMLElement>(
      'a[href], button:not([disabled]), [tabindex]:not([tabindex="-1"])',
    );
    const first = focusable[0];
    const last = focusable[focusable.length - 1];
    if (!first || !last) return;
    if (event.shiftKey && document.activeElement === first) {
      event.preventDefault();
      last.focus();
    } else if (!event.shiftKey && document.activeElement === last) {
      event.preventDefault();
      first.focus();
    }
  };

  const summary = result.status === 'success' ? summarizeResource(result.resource) : undefined;
  const title = summary?.title ?? finding.label;

  return (
    <div
      className="dialog-backdrop"
      onMouseDown={(event) => event.target === event.currentTarget && onClose()}
    >
      <div
        ref={dialogRef}
        className="dialog"
        role="dialog"
        aria-modal="true"
        aria-labelledby={titleId}
        onKeyDown={onKeyDown}
      >
        <div className="dialog-head">
          <h2 id={titleId}>{title}</h2>
          <button ref={closeRef} type="button" className="close-button" onClick={onClose}>
            Close
          </button>
        </div>
        <p className="muted">
          Source of the finding “{finding.label}” · <code>{reference}</code>
        </p>
        {finding.sources.length > 1 ? (
          <nav aria-label="Sources of this finding">
            <ul className="source-list">
              {finding.sources.map((source) => (
                <li key={source.reference}>
                  <button
                    type="button"
                    className="link-button"
                    aria-current={source.reference === reference ? 'true' : undefined}
                    onClick={() => onSelectSource(source.reference)}
                  >
                    {source.display ?? source.reference}
                  </button>
                </li>
              ))}
            </ul>
          </nav>
        ) : null}
        {result.status === 'pending' ? (
          <p role="status">Reading {reference} from the FHIR server…</p>
        ) : result.status === 'error' ? (
          <div role="alert" className="error-box">
            <p>
              {READ_ERRORS[result.error.code] ??
                `The FHIR server could not return ${reference}: ${result.error.message}`}
            </p>
          </div>
        ) : summary ? (
          <dl className="resource-fields">
            {summary.fields.map((field) => (
              <div key={field.label} className="field-row">
                <dt>{field.label}</dt>
                <dd>{field.value}</dd>
              </div>
            ))}
          </dl>
        ) : null}
      </div>
    </div>
  );
}
