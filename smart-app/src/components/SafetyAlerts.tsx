import type { Citation, Finding, SafetyAlert } from '@rationale/shared-types';
import { ORDER_HOOKS } from '@rationale/shared-types/src/domain';
import type { ReactNode } from 'react';
import { CitationList } from './citations';
import { FindingRef, type OpenFinding } from './FindingButton';
import { itemElementId } from './item-focus';
import { orderText } from './Recommendations';

/** The hooks that carry draft orders, and so order-safety findings (declared in shared-types). */
export { ORDER_HOOKS };

export function isOrderHook(hook: string | undefined): boolean {
  return hook !== undefined && (ORDER_HOOKS as readonly string[]).includes(hook);
}

export interface SafetyAlertsProps {
  alerts: readonly SafetyAlert[];
  findings: ReadonlyMap<string, Finding>;
  citations: ReadonlyMap<string, Citation>;
  onOpenFinding: OpenFinding;
  renderFeedback?: (alert: SafetyAlert) => ReactNode;
}

const SEVERITY_ORDER = { high: 0, moderate: 1, low: 2 } as const;
const TYPE_TEXT: Record<SafetyAlert['type'], string> = {
  'drug-allergy': 'Drug–allergy',
  'drug-renal': 'Drug–renal function',
  'drug-drug': 'Drug–drug interaction',
  'drug-condition': 'Drug–condition',
  'older-adult': 'Older adult (Beers)',
  'duplicate-therapy': 'Duplicate therapy',
  pregnancy: 'Pregnancy',
  'dose-limit': 'Dose limit',
};

/** Problems with the draft orders of an order-select or order-sign launch, most severe first. */
export function SafetyAlerts({
  alerts,
  findings,
  citations,
  onOpenFinding,
  renderFeedback,
}: SafetyAlertsProps) {
  const ordered = [...alerts].sort((a, b) => SEVERITY_ORDER[a.severity] - SEVERITY_ORDER[b.severity]);
  return (
    <section aria-labelledby="safety-heading" className="panel panel-safety">
      <h2 id="safety-heading">Order safety</h2>
      {ordered.length === 0 ? (
        <p>No safety problem found with the orders being placed.</p>
      ) : (
        <ul className="alerts">
          {ordered.map((alert) => {
            const inputs = alert.findingIds
              .map((id) => findings.get(id))
              .filter((f): f is Finding => f !== undefined);
            return (
              <li
                key={alert.id}
                id={itemElementId(alert.id)}
                tabIndex={-1}
                className={`alert alert-${alert.severity}`}
                aria-labelledby={`alert-${alert.id}`}
              >
                <div className="item-head">
                  <h3 id={`alert-${alert.id}`}>{alert.title}</h3>
                  <span className={`badge badge-severity-${alert.severity}`}>
                    {alert.severity} severity{alert.contraindicated ? ', contraindicated' : ''}
                  </span>
                </div>
                <p>
                  <strong>Order: </strong>
                  {alert.order.label} · {TYPE_TEXT[alert.type]}
                </p>
                <p>{alert.detail}</p>
                {alert.staleInputs && alert.staleInputs.length > 0 ? (
                  <ul className="stale-inputs" aria-label="Treated as missing">
                    {alert.staleInputs.map((stale) => {
                      const finding = findings.get(stale.findingId);
                      const window = stale.lookBackDays
                        ? `${stale.lookBackDays}-day`
                        : `${stale.lookBackMonths}-month`;
                      return (
                        <li key={stale.findingId}>
                          {finding ? <FindingRef finding={finding} onOpen={onOpenFinding} /> : stale.label}
                          {` of ${stale.date.slice(0, 10)} is older than this check's ${window} look-back, so it was treated as missing.`}
                        </li>
                      );
                    })}
                  </ul>
                ) : null}
                {inputs.length > 0 ? (
                  <ul className="inputs" aria-label="Findings behind this alert">
                    {inputs.map((finding) => (
                      <li key={finding.id}>
                        <FindingRef finding={finding} onOpen={onOpenFinding} />
                      </li>
                    ))}
                  </ul>
                ) : null}
                {alert.alternative ? (
                  <p>
                    <strong>Safer alternative: </strong>
                    {orderText(alert.alternative)}
                  </p>
                ) : null}
                <CitationList ids={alert.citationIds} citations={citations} />
                {renderFeedback?.(alert)}
              </li>
            );
          })}
        </ul>
      )}
    </section>
  );
}
