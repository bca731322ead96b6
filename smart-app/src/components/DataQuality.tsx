import type { DataQualityIssue } from '@rationale/shared-types';

export const DATA_QUALITY_HEADING = 'What of the record could not be read';

const KIND_TEXT: Record<DataQualityIssue['kind'], string> = {
  'element-ignored': 'A field was ignored',
  'resource-skipped': 'A resource was skipped',
  'response-truncated': 'A FHIR answer was cut at its size limit',
  'resources-capped': 'The record was cut at its resource limit',
  'key-unavailable': 'The EHR did not send this data',
};

/**
 * The parts of the record the service could not read (issue 18: read liberally, judge strictly):
 * each issue with where it was and what was wrong, so the clinician knows what the reasoning above
 * did not see. Shown only when there is something to say.
 */
export function DataQuality({ issues }: { issues: readonly DataQualityIssue[] }) {
  if (issues.length === 0) return null;
  return (
    <section aria-labelledby="data-quality-heading" className="panel">
      <h2 id="data-quality-heading">{DATA_QUALITY_HEADING}</h2>
      <p className="muted">
        The reasoning above was made without these. A field the model does not use is read past; a resource it
        could not read at all is left out.
      </p>
      <ul>
        {issues.map((issue, i) => (
          <li key={`${issue.where}-${i}`}>
            {KIND_TEXT[issue.kind]}: <code>{issue.where}</code> — {issue.problem}
          </li>
        ))}
      </ul>
    </section>
  );
}
