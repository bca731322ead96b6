import type { Chart, Resource } from '../api';
import {
  ageFrom,
  asChartResource as v,
  medicationText,
  conceptText,
  firstCode,
  formatDate,
  observationDate,
  observationFlag,
  observationName,
  observationRange,
  observationValue,
} from '../fhir-format';
import { displayName } from '../names';

/** The patient banner: who the chart belongs to, always visible above the chart. */
export function PatientBanner({ chart }: { chart: Chart }) {
  const p = v(chart.patient);
  const mrn = p.identifier?.[0]?.value;
  return (
    <header className="patient-banner" aria-label="Patient banner">
      <h1>{displayName(chart.patient)}</h1>
      <span>
        {p.gender ?? '—'} · born {p.birthDate ?? '—'} {ageFrom(p.birthDate) && `(${ageFrom(p.birthDate)})`} ·
        id {p.id}
        {mrn && ` · MRN ${mrn}`}
      </span>
      {chart.allergies.length > 0 && (
        <span className="banner-allergies">
          Allergies: {chart.allergies.map((a) => conceptText(v(a).code)).join(', ')}
        </span>
      )}
    </header>
  );
}

function statusOf(resource: Resource, field: 'status' | 'clinicalStatus'): string {
  const value = v(resource)[field];
  return typeof value === 'string' ? value : conceptText(value);
}

/** Problems, medications, allergies, recent labs and vitals. */
export function ChartView({ chart }: { chart: Chart }) {
  const meds = [...chart.medicationRequests, ...chart.medicationStatements];
  return (
    <div className="chart-sections">
      <section aria-label="Problems">
        <h2>Problems</h2>
        {chart.conditions.length === 0 ? (
          <p className="muted">None recorded</p>
        ) : (
          <table>
            <thead>
              <tr>
                <th>Problem</th>
                <th>Code</th>
                <th>Status</th>
                <th>Onset</th>
              </tr>
            </thead>
            <tbody>
              {chart.conditions.map((c) => (
                <tr key={c.id}>
                  <td>{conceptText(v(c).code)}</td>
                  <td className="muted small">{firstCode(v(c).code)}</td>
                  <td>{statusOf(c, 'clinicalStatus')}</td>
                  <td>{formatDate(v(c).onsetDateTime ?? v(c).recordedDate)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>

      <section aria-label="Medications">
        <h2>Medications</h2>
        {meds.length === 0 ? (
          <p className="muted">None recorded</p>
        ) : (
          <table>
            <thead>
              <tr>
                <th>Medication</th>
                <th>Sig</th>
                <th>Status</th>
                <th>Date</th>
              </tr>
            </thead>
            <tbody>
              {meds.map((m) => (
                <tr key={`${m.resourceType}/${m.id}`}>
                  <td>{medicationText(m)}</td>
                  <td className="small">
                    {v(m).dosageInstruction?.[0]?.text ?? v(m).dosage?.[0]?.text ?? ''}
                  </td>
                  <td>{statusOf(m, 'status')}</td>
                  <td>{formatDate(v(m).authoredOn ?? v(m).effectiveDateTime ?? v(m).dateAsserted)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>

      <section aria-label="Allergies">
        <h2>Allergies</h2>
        {chart.allergies.length === 0 ? (
          <p className="muted">No known allergies recorded</p>
        ) : (
          <ul>
            {chart.allergies.map((a) => (
              <li key={a.id}>
                {conceptText(v(a).code)}
                <span className="muted small">
                  {' '}
                  {v(a).criticality ?? ''}{' '}
                  {v(a).reaction?.[0]?.manifestation?.[0]
                    ? `· ${conceptText(v(a).reaction?.[0]?.manifestation?.[0])}`
                    : ''}
                </span>
              </li>
            ))}
          </ul>
        )}
      </section>

      <ObservationTable title="Recent labs" observations={chart.labs} />
      <ObservationTable title="Vitals" observations={chart.vitals} />
    </div>
  );
}

function ObservationTable({ title, observations }: { title: string; observations: Resource[] }) {
  return (
    <section aria-label={title}>
      <h2>{title}</h2>
      {observations.length === 0 ? (
        <p className="muted">None recorded</p>
      ) : (
        <table>
          <thead>
            <tr>
              <th>Test</th>
              <th>Value</th>
              <th>Flag</th>
              <th>Range</th>
              <th>Date</th>
            </tr>
          </thead>
          <tbody>
            {observations.map((o) => (
              <tr key={o.id}>
                <td>{observationName(o)}</td>
                <td>{observationValue(o)}</td>
                <td className="flag">{observationFlag(o)}</td>
                <td className="muted small">{observationRange(o)}</td>
                <td>{formatDate(observationDate(o))}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
