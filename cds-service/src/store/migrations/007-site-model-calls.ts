/**
 * Site-model monitoring shared across replicas (issue 16, "the monitoring page shows the model's
 * error and latency"): every call of a site model, which model and version ran, on which hook, when,
 * how long it took and how it ended. Written with the hook's records, read per model and version for
 * the page's period, like hook_calls.
 */
export const siteModelCalls = `
CREATE TABLE site_model_calls (
  id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  model_id    text NOT NULL,
  version     text NOT NULL,
  mode        text NOT NULL CHECK (mode IN ('silent', 'live')),
  runtime     text NOT NULL,
  hook        text,
  at          timestamptz NOT NULL,
  duration_ms double precision NOT NULL CHECK (duration_ms >= 0),
  status      text NOT NULL
);
CREATE INDEX site_model_calls_at_idx ON site_model_calls (at);
`;
