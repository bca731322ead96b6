/**
 * What of each record could not be read (issue 18: a skipped resource or ignored field is a
 * data-quality issue, counted on the monitoring page): per stored assessment, the number of issues
 * of each kind, e.g. {"element-ignored": 2}. Rows written before this migration have none.
 */
export const dataQuality = `
ALTER TABLE assessments ADD COLUMN data_quality jsonb;
`;
