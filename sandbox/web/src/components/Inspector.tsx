import type { LogEntry } from '../cds-session';

function Json({ value }: { value: unknown }) {
  return <pre className="json">{JSON.stringify(value, null, 2)}</pre>;
}

/**
 * Every exchange with the CDS services, newest first: the exact hook request (access token
 * redacted) and the JWT's claims, prefetch notes, the response, timing and conformance notes.
 */
export function Inspector({ log }: { log: LogEntry[] }) {
  return (
    <section className="inspector" aria-label="Inspector">
      <h2>Inspector</h2>
      {log.length === 0 && <p className="muted">No exchanges yet.</p>}
      <ol className="inspector-log">
        {log.map((entry, i) => (
          <li key={log.length - i}>
            <InspectorEntry entry={entry} />
          </li>
        ))}
      </ol>
    </section>
  );
}

function InspectorEntry({ entry }: { entry: LogEntry }) {
  const time = entry.at.slice(11, 23);
  if (entry.kind === 'error')
    return (
      <p className="error">
        {time} {entry.message}
      </p>
    );
  if (entry.kind === 'discovery') {
    return (
      <p className={entry.status === 'error' ? 'error' : undefined}>
        {time} discovery {entry.url}: {entry.message}{' '}
        {entry.durationMs !== undefined && `in ${entry.durationMs} ms`}
      </p>
    );
  }
  if (entry.kind === 'feedback') {
    return (
      <details>
        <summary>
          {time} feedback ({entry.outcome}) → {entry.result.url}: HTTP {entry.result.status} in{' '}
          {entry.result.durationMs} ms
        </summary>
        <h4>Request</h4>
        <Json value={entry.result.request} />
        <h4>JWT</h4>
        <Json value={entry.result.jwt} />
        <h4>Response</h4>
        <Json value={entry.result.response ?? null} />
      </details>
    );
  }
  const r = entry.result;
  if (r.skipped) {
    return (
      <p>
        {time} {r.hook} → {r.serviceUrl}: not fired ({r.reason})
      </p>
    );
  }
  const errors = r.conformance.issues.filter((i) => i.severity === 'error').length;
  const warnings = r.conformance.issues.filter((i) => i.severity === 'warning').length;
  return (
    <details>
      <summary>
        {time} {r.hook} → {r.serviceId}: HTTP {r.status} in {r.durationMs} ms · {r.cards.length} card(s)
        {r.conformance.rejected.length ? ` · ${r.conformance.rejected.length} rejected` : ''} · {errors}{' '}
        error(s), {warnings} warning(s)
        {entry.replaced !== undefined && ` · replaced ${entry.replaced} earlier card(s)`}
      </summary>
      <p className="small">
        hookInstance {r.hookInstance} · profile {r.profile} · prefetch {r.prefetchMode} · {r.serviceUrl}
      </p>
      {r.conformance.issues.length > 0 && (
        <>
          <h4>Conformance</h4>
          <ul className="conformance">
            {r.conformance.issues.map((issue, i) => (
              <li key={i} className={`severity-${issue.severity}`}>
                <strong>{issue.severity}</strong> {issue.rule} <code>{issue.path}</code>: {issue.message}
              </li>
            ))}
          </ul>
        </>
      )}
      {r.conformance.rejected.length > 0 && (
        <>
          <h4>Cards not shown</h4>
          <ul>
            {r.conformance.rejected.map((c) => (
              <li key={c.index}>
                cards[{c.index}] {c.summary ? `“${c.summary}”` : ''}: {c.reasons.join('; ')}
              </li>
            ))}
          </ul>
        </>
      )}
      <h4>Prefetch</h4>
      <table className="small">
        <tbody>
          {r.prefetchNotes.map((n) => (
            <tr key={n.key}>
              <td>{n.key}</td>
              <td>
                <code>{n.query ?? n.template}</code>
              </td>
              <td>{n.outcome}</td>
              <td>
                {n.count !== undefined ? `${n.count}${n.total !== undefined ? ` of ${n.total}` : ''}` : ''}
              </td>
              <td>{n.message}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <h4>Request</h4>
      <Json value={r.request} />
      <h4>JWT (header and claims)</h4>
      <Json value={r.jwt} />
      <h4>Response</h4>
      <Json value={r.response ?? null} />
    </details>
  );
}
