/**
 * The first schema. Identifiers and codes only, plus the assessment snapshot the app reads (kept for
 * the retention period) and the clinician's own feedback comment. No tokens, no prefetch bodies.
 */
export const initial = `
CREATE TABLE assessments (
  id          uuid PRIMARY KEY,
  patient_id  text NOT NULL,
  fhir_server text,
  created_at  timestamptz NOT NULL,
  assessment  jsonb NOT NULL,
  llm         jsonb
);
CREATE INDEX assessments_patient_created_idx ON assessments (patient_id, created_at DESC);
CREATE INDEX assessments_created_idx ON assessments (created_at);

-- No foreign key to assessments: assessments are purged after the retention period, issued cards
-- stay for snoozes and monitoring.
CREATE TABLE issued_cards (
  card_uuid        text PRIMARY KEY,
  service_id       text NOT NULL,
  hook             text NOT NULL,
  hook_instance    text NOT NULL,
  assessment_id    text,
  patient_id       text NOT NULL,
  topic            text NOT NULL,
  indicator        text NOT NULL CHECK (indicator IN ('info', 'warning', 'critical')),
  suggestion_uuids text[] NOT NULL DEFAULT '{}',
  silent           boolean NOT NULL,
  issued_at        timestamptz NOT NULL
);
CREATE INDEX issued_cards_issued_at_idx ON issued_cards (issued_at);

-- One row per feedback entry; an EHR repeating the same entry hits the unique key and is a no-op.
CREATE TABLE feedback (
  id                      bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  service_id              text NOT NULL,
  card_uuid               text NOT NULL,
  outcome                 text NOT NULL CHECK (outcome IN ('accepted', 'overridden')),
  outcome_timestamp       timestamptz NOT NULL,
  accepted_suggestions    text[] NOT NULL DEFAULT '{}',
  override_reason_code    text,
  override_reason_system  text,
  override_reason_display text,
  user_comment            text,
  received_at             timestamptz NOT NULL,
  CONSTRAINT feedback_entry_key UNIQUE (card_uuid, outcome, outcome_timestamp)
);
CREATE INDEX feedback_outcome_timestamp_idx ON feedback (outcome_timestamp);

CREATE TABLE app_feedback (
  id            uuid PRIMARY KEY,
  assessment_id text NOT NULL,
  target_type   text NOT NULL,
  target_id     text NOT NULL,
  target_key    text NOT NULL,
  topic         text NOT NULL,
  verdict       text NOT NULL CHECK (verdict IN ('agree', 'disagree')),
  reason        text,
  comment       text,
  received_at   timestamptz NOT NULL
);
CREATE INDEX app_feedback_received_at_idx ON app_feedback (received_at);

CREATE TABLE snoozes (
  patient_id text NOT NULL,
  topic      text NOT NULL,
  until      timestamptz NOT NULL,
  reason     text NOT NULL CHECK (reason IN ('overridden', 'accepted-pending')),
  created_at timestamptz NOT NULL,
  PRIMARY KEY (patient_id, topic)
);
CREATE INDEX snoozes_until_idx ON snoozes (until);

-- Each snooze as it was applied, for monitoring (the snoozes table keeps only the latest).
CREATE TABLE snooze_events (
  id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  patient_id text NOT NULL,
  topic      text NOT NULL,
  reason     text NOT NULL,
  until      timestamptz NOT NULL,
  created_at timestamptz NOT NULL
);
CREATE INDEX snooze_events_created_at_idx ON snooze_events (created_at);

-- The JWT replay cache, shared by every replica (CDS Hooks STU2 §Trusting CDS Clients).
CREATE TABLE jti (
  issuer     text NOT NULL,
  jti        text NOT NULL,
  expires_at timestamptz NOT NULL,
  PRIMARY KEY (issuer, jti)
);
CREATE INDEX jti_expires_at_idx ON jti (expires_at);

CREATE TABLE audit_events (
  id             bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  at             timestamptz NOT NULL,
  issuer         text,
  user_id        text,
  action         text NOT NULL,
  service_id     text,
  hook_instance  text,
  patient_id     text,
  assessment_id  text,
  card_uuids     text[] NOT NULL DEFAULT '{}',
  outcome        text NOT NULL
);
CREATE INDEX audit_events_at_idx ON audit_events (at);
CREATE INDEX audit_events_patient_at_idx ON audit_events (patient_id, at);
`;
