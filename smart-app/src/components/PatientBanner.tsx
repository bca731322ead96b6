import { formatDate } from './format';

/** The parts of a FHIR Patient the banner shows. */
export interface BannerPatient {
  name: string;
  sex?: string;
  birthDate?: string;
}

type Json = Record<string, unknown>;

/** Extracts the banner fields from a FHIR R4 Patient (official name first, then the first name). */
export function bannerPatient(resource: unknown): BannerPatient {
  const patient = (typeof resource === 'object' && resource !== null ? resource : {}) as Json;
  const names = (Array.isArray(patient.name) ? patient.name : []) as Json[];
  const name = names.find((n) => n.use === 'official') ?? names[0];
  let text = typeof name?.text === 'string' ? name.text : undefined;
  if (!text && name) {
    const given = Array.isArray(name.given)
      ? name.given.filter((g): g is string => typeof g === 'string').join(' ')
      : '';
    text = [given, typeof name.family === 'string' ? name.family : ''].filter(Boolean).join(' ');
  }
  const out: BannerPatient = { name: text || 'Name not recorded' };
  if (typeof patient.gender === 'string') out.sex = patient.gender;
  if (typeof patient.birthDate === 'string') out.birthDate = patient.birthDate;
  return out;
}

export type BannerState =
  | { status: 'pending' }
  | { status: 'error'; message: string }
  | { status: 'success'; patient: BannerPatient };

/** The patient banner, for launches where the EHR does not show its own (need_patient_banner). */
export function PatientBanner({ state }: { state: BannerState }) {
  return (
    <section className="patient-banner" aria-label="Patient">
      {state.status === 'pending' ? (
        <p role="status">Loading the patient…</p>
      ) : state.status === 'error' ? (
        <p role="alert">The patient’s details could not be read: {state.message}</p>
      ) : (
        <p>
          <strong className="patient-name">{state.patient.name}</strong>
          <span>
            <span className="muted">Sex </span>
            {state.patient.sex ?? 'not recorded'}
          </span>
          <span>
            <span className="muted">Born </span>
            {state.patient.birthDate ? (
              <time dateTime={state.patient.birthDate}>{formatDate(state.patient.birthDate)}</time>
            ) : (
              'not recorded'
            )}
          </span>
        </p>
      )}
    </section>
  );
}
