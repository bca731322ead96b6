import type { Finding } from '@rationale/shared-types';
import { formatDate } from './format';

export type OpenFinding = (finding: Finding, trigger: HTMLElement) => void;

/**
 * A finding from the record: a button named exactly by the finding's label that opens the FHIR
 * resource it came from, followed by its date. Findings with no source resource are plain text.
 */
export function FindingRef({ finding, onOpen }: { finding: Finding; onOpen: OpenFinding }) {
  return (
    <span className="finding">
      {finding.sources.length > 0 ? (
        <button
          type="button"
          className="link-button"
          onClick={(event) => onOpen(finding, event.currentTarget)}
        >
          {finding.label}
        </button>
      ) : (
        <span>{finding.label}</span>
      )}{' '}
      <span className="muted">
        <time dateTime={finding.date}>{formatDate(finding.date)}</time>
      </span>
    </span>
  );
}
