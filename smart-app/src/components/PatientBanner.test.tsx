import { render, screen } from '@testing-library/react';
import { ageOn, bannerPatient, PatientBanner } from './PatientBanner';

const PATIENT = {
  resourceType: 'Patient',
  name: [{ use: 'official', given: ['Ana'], family: 'Lopez' }],
  gender: 'female',
  birthDate: '1968-05-20',
  identifier: [
    { system: 'https://github.com/synthetichealth/synthea', value: 'e925b0f3' },
    {
      type: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/v2-0203', code: 'MR' }] },
      system: 'http://hospital.example/mrn',
      value: 'MRN-004512',
    },
  ],
};

describe('PatientBanner', () => {
  it('shows name, age, sex, date of birth and the MR-typed identifier', () => {
    render(
      <PatientBanner
        state={{ status: 'success', patient: bannerPatient(PATIENT) }}
        today={new Date('2026-05-19T12:00:00Z')}
      />,
    );
    const banner = screen.getByRole('region', { name: 'Patient' });
    expect(banner).toHaveTextContent('Ana Lopez');
    expect(banner).toHaveTextContent('Age 57 years');
    expect(banner).toHaveTextContent('Sex female');
    expect(banner).toHaveTextContent('Born 20 May 1968');
    expect(banner).toHaveTextContent('MRN MRN-004512');
  });

  it('says what is not recorded rather than leaving a gap', () => {
    render(
      <PatientBanner state={{ status: 'success', patient: bannerPatient({ name: [{ text: 'X' }] }) }} />,
    );
    expect(screen.getByRole('region', { name: 'Patient' })).toHaveTextContent('MRN not recorded');
  });
});

describe('ageOn', () => {
  it('counts whole years, turning over on the birthday', () => {
    expect(ageOn('1968-05-20', new Date('2026-05-19T00:00:00Z'))).toBe(57);
    expect(ageOn('1968-05-20', new Date('2026-05-20T00:00:00Z'))).toBe(58);
    expect(ageOn(undefined, new Date())).toBeUndefined();
  });
});
