import type { Finding, SiteModelFeature, SiteModelResult } from '@rationale/shared-types';
import { formatProbability } from '@rationale/shared-types/src/format';
import type { OpenFinding } from './FindingButton';

export const SITE_MODELS_HEADING = 'Site models — trained by your organisation';

const STATUS_TEXT: Record<SiteModelResult['status'], string> = {
  complete: 'answered',
  timeout: 'did not answer within its time budget',
  unavailable: 'its server could not be reached or answered with an error',
  'bad-response': 'answered in a shape it was not configured for',
  'circuit-open': 'not called: its server failed repeatedly and is being left alone for a while',
};

const LEVEL_TEXT = {
  none: 'below its card threshold',
  info: 'at its information threshold',
  warning: 'at its warning threshold',
};

const number = (x: number) => String(Number(x.toFixed(2)));

/** What exactly ran: the ONNX file's hash, or the server's model and its metadata hash. */
function provenanceText(r: SiteModelResult): string {
  const p = r.provenance;
  if (p.runtime === 'onnx') return `ONNX file sha256 ${p.sha256?.slice(0, 12) ?? 'unknown'}…`;
  const s = p.server;
  const hash = s?.metadataSha256 ? `, metadata sha256 ${s.metadataSha256.slice(0, 12)}…` : '';
  return `inference server model ${s?.model ?? 'unknown'}${s?.version ? ` version ${s.version}` : ''}${hash}`;
}

/** A feature as a finding, so the resource dialog can open the record it came from. */
function asFinding(r: SiteModelResult, f: SiteModelFeature): Finding {
  return {
    id: `${r.modelId}:${f.name}`,
    code: f.name,
    kind: 'observation',
    label: f.name,
    sources: f.sources,
  };
}

/**
 * The site's own models that ran on this record (issue 16): each model's identity and what exactly
 * ran, its predictions, and every input it was given, with the resource behind it and, for a
 * linear model, how much it moved the prediction. Set apart from the knowledge model's reasoning.
 */
export function SiteModels({
  results,
  onOpenFinding,
}: {
  results: readonly SiteModelResult[];
  onOpenFinding: OpenFinding;
}) {
  return (
    <section aria-labelledby="site-models-heading" className="panel">
      <h2 id="site-models-heading">{SITE_MODELS_HEADING}</h2>
      <p className="muted">
        Predictions from models your organisation trained on its own records, run on this patient&apos;s data.
        They are estimates, not guideline criteria: check the inputs below before acting on one.
      </p>
      {results.map((r) => (
        <article key={r.modelId} aria-labelledby={`site-model-${r.modelId}`}>
          <h3 id={`site-model-${r.modelId}`}>
            {r.modelId} {r.version}
          </h3>
          <p className="muted">
            Owner: {r.owner}. {provenanceText(r)}.{' '}
            {r.mode === 'silent'
              ? 'Silent: it runs and is recorded, but raises no card.'
              : 'Live: it may raise a card.'}
          </p>
          {r.status === 'complete' ? (
            <ul>
              {r.predictions.map((p) => (
                <li key={p.id}>
                  {p.label}: <strong>{formatProbability(p.probability)}</strong> ({LEVEL_TEXT[p.level]}
                  {p.recorded ? '; already recorded' : ''}
                  {p.excludedBy ? `; held back: ${p.excludedBy} in the record` : ''})
                </li>
              ))}
            </ul>
          ) : (
            <p className="notice" role="note">
              This model {STATUS_TEXT[r.status]} ({number(r.latencyMs)} ms); the other sources answered
              without it.
            </p>
          )}
          <table className="attributes">
            <caption>Inputs given to {r.modelId}</caption>
            <thead>
              <tr>
                <th scope="col">Input</th>
                <th scope="col">Value</th>
                <th scope="col">Contribution (log-odds)</th>
                <th scope="col">From the record</th>
              </tr>
            </thead>
            <tbody>
              {r.features.map((f) => (
                <tr key={f.name}>
                  <th scope="row">{f.name}</th>
                  <td>
                    {f.missing
                      ? `not in the record (default ${number(f.value)})`
                      : `${number(f.value)}${f.unit && f.unit !== '1' ? ` ${f.unit}` : ''}`}
                  </td>
                  <td>
                    {f.contribution === undefined
                      ? '—'
                      : `${f.contribution >= 0 ? '+' : '−'}${number(Math.abs(f.contribution))}`}
                  </td>
                  <td>
                    {f.sources.length > 0 ? (
                      <button
                        type="button"
                        className="link-button"
                        onClick={(event) => onOpenFinding(asFinding(r, f), event.currentTarget)}
                      >
                        {f.sources.length === 1 ? f.sources[0]?.reference : `${f.sources.length} resources`}
                      </button>
                    ) : (
                      '—'
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </article>
      ))}
    </section>
  );
}
