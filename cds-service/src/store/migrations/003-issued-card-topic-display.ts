/**
 * The card's topic display ("Possible Chronic kidney disease", "Start a statin") kept beside its
 * code, so the monitoring page names card types as a clinician reads them rather than by code.
 * Cards issued before this migration have none; the page falls back to the code for them.
 */
export const issuedCardTopicDisplay = `
ALTER TABLE issued_cards ADD COLUMN topic_display text;
CREATE INDEX audit_events_hook_instance_idx ON audit_events (hook_instance) WHERE action = 'hook';
`;
