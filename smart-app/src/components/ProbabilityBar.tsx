import { formatPercent } from './format';

/**
 * A posterior probability as a meter, with the prior it started from. The bar is decoration; the
 * meter's value text carries both numbers for screen readers.
 */
export function ProbabilityBar({
  label,
  posterior,
  prior,
}: {
  label: string;
  posterior: number;
  prior: number;
}) {
  const percent = Math.max(0, Math.min(100, posterior * 100));
  const priorPercent = Math.max(0, Math.min(100, prior * 100));
  const valueText = `${formatPercent(posterior)}, from ${formatPercent(prior)} before the findings`;
  return (
    <div className="probability">
      <div
        className="meter"
        role="meter"
        aria-label={`Probability of ${label}`}
        aria-valuemin={0}
        aria-valuemax={100}
        aria-valuenow={Math.round(percent)}
        aria-valuetext={valueText}
      >
        <div className="meter-fill" style={{ width: `${percent}%` }} />
        <div
          className="meter-prior"
          style={{ left: `${priorPercent}%` }}
          title={`Prior ${formatPercent(prior)}`}
        />
      </div>
      <span className="probability-text" aria-hidden="true">
        <strong>{formatPercent(posterior)}</strong>{' '}
        <span className="muted">(prior {formatPercent(prior)})</span>
      </span>
    </div>
  );
}
