import type { PatientListItem } from '../api';
import { ageFrom } from '../fhir-format';

/** The EHR's patient list; each name opens the chart. */
export function PatientList({
  patients,
  error,
}: {
  patients: PatientListItem[] | undefined;
  error?: string;
}) {
  if (error) return <p role="alert">Could not load patients: {error}</p>;
  if (!patients) return <p aria-busy="true">Loading patients…</p>;
  return (
    <section aria-label="Patients">
      <h1>Patients</h1>
      <p className="muted">
        {patients.length} synthetic patients in the sandbox FHIR server. Open a chart to fire patient-view.
      </p>
      <ul className="patient-list">
        {patients.map((p) => (
          <li key={p.id}>
            <a href={`#/patients/${encodeURIComponent(p.id)}`}>{p.name}</a>
            <span className="muted small">
              {' '}
              {p.id} · {p.gender ?? '—'} · {p.birthDate ?? '—'}{' '}
              {ageFrom(p.birthDate) && `(${ageFrom(p.birthDate)})`}
            </span>
            {p.summary && <div className="small">{p.summary}</div>}
          </li>
        ))}
      </ul>
    </section>
  );
}
