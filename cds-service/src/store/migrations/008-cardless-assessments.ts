/**
 * An assessment row may keep no snapshot: a hook call that issued no card leaves its row (who was
 * assessed, when, by which model, the data-quality counts the monitoring page reads) but not the
 * Assessment, which no card links to (HookRecord.keepSnapshot). At most one of the two snapshot
 * columns holds a value; a row with neither is read as no assessment.
 */
export const cardlessAssessments = `
ALTER TABLE assessments DROP CONSTRAINT assessments_one_snapshot;
ALTER TABLE assessments ADD CONSTRAINT assessments_at_most_one_snapshot
  CHECK (assessment IS NULL OR assessment_gz IS NULL);
`;
