/**
 * Monitoring for informaticists (issue 20): every hook call's service, time, duration and HTTP
 * status (latency percentiles and error rates per hook over time), and the model and knowledge
 * base behind each stored assessment and issued card (counts by version). Rows written before
 * this migration have no version; the page counts them as unrecorded.
 */
export const hookCallsAndVersions = `
CREATE TABLE hook_calls (
  id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  service_id  text NOT NULL,
  hook        text NOT NULL,
  at          timestamptz NOT NULL,
  duration_ms double precision NOT NULL CHECK (duration_ms >= 0),
  status      smallint NOT NULL CHECK (status BETWEEN 100 AND 599)
);
CREATE INDEX hook_calls_at_idx ON hook_calls (at);
ALTER TABLE assessments ADD COLUMN model_name text, ADD COLUMN model_version text, ADD COLUMN knowledge_hash text;
ALTER TABLE issued_cards ADD COLUMN model_name text, ADD COLUMN model_version text, ADD COLUMN knowledge_hash text;
`;
