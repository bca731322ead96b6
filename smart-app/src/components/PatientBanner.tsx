import { formatDate } from './format';

/** The parts of a FHIR Patient the banner shows. */
export interface BannerPatient {
  name: string;
  sex?: string;
  birthDate?: string;
  /** The medical record number: the identifier typed MR (HL7 v2 table 0203). */
  mrn?: string;
}

const V2_0203 = 'http://terminology.hl7.org/CodeSystem/v2-0203';

/** Whole years from `birthDate` (YYYY, YYYY-MM or YYYY-MM-DD) to `today`; undefined when unreadable. */
export function ageOn(birthDate: string | undefined, today: Date): number | undefined {
  const match = /^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?/.exec(birthDate ?? '');
  if (!match) return undefined;
  const [year, month = 1, day = 1] = [Number(match[1]), Number(match[2] ?? 1), Number(match[3] ?? 1)];
  let age = today.getUTCFullYear() - year;
  const beforeBirthday =
    today.getUTCMonth() + 1 < month || (today.getUTCMonth() + 1 === month && today.getUTCDate() < day);
  if (beforeBirthday) age -= 1;
  return age >= 0 && age < 150 ? age : undefined;
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
  const identifiers = (Array.isArray(patient.identifier) ? patient.identifier : []) as Json[];
  const mrn = identifiers.find((identifier) => {
    const type = identifier.type as Json | undefined;
    const codings = (Array.isArray(type?.coding) ? type.coding : []) as Json[];
    return codings.some((c) => c.code === 'MR' && (c.system === undefined || c.system === V2_0203));
  });
  if (typeof mrn?.value === 'string' && mrn.value !== '') out.mrn = mrn.value;
  return out;
}

export type BannerState =
  | { status: 'pending' }
  | { status: 'error'; message: string }
  | { status: 'success'; patient: BannerPatient };

/**
 * The patient banner, for launches where the EHR does not show its own (need_patient_banner):
 * name, age, sex, date of birth and MRN, the identifiers a clinician checks before reading on.
 */
export function PatientBanner({ state, today = new Date() }: { state: BannerState; today?: Date }) {
  const age = state.status === 'success' ? ageOn(state.patient.birthDate, today) : undefined;
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
            <span className="muted">Age </span>
            {age === undefined ? 'not recorded' : `${age} years`}
          </span>
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
          <span>
            <span className="muted">MRN </span>
            {state.patient.mrn ?? 'not recorded'}
          </span>
        </p>
      )}
    </section>
  );
}
