/**
 * Assessment snapshots stored gzip-compressed (`assessment_gz`). A snapshot is 5-30 KB of JSON,
 * written on every hook call and read back only when a clinician opens the app; as jsonb, parsing
 * and TOAST-compressing it was most of the database's work per hook (and, on embedded PGlite,
 * WebAssembly work on the service's own CPU). Compressed once in the service, it is about a fifth
 * of the size and the database stores the bytes as they are (storage EXTERNAL: no second
 * compression). Rows written before this migration keep their jsonb `assessment`; exactly one of
 * the two columns holds each snapshot.
 */
export const compressedAssessments = `
ALTER TABLE assessments ADD COLUMN assessment_gz bytea;
ALTER TABLE assessments ALTER COLUMN assessment_gz SET STORAGE EXTERNAL;
ALTER TABLE assessments ALTER COLUMN assessment DROP NOT NULL;
ALTER TABLE assessments ADD CONSTRAINT assessments_one_snapshot
  CHECK ((assessment IS NULL) <> (assessment_gz IS NULL));
`;
