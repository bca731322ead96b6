import { cardSchema, feedbackEntrySchema, overrideReasonOf, cdsRequestSchema } from './cds-hooks';

describe('CDS Hooks wire schemas', () => {
  const card = { summary: 'x', indicator: 'info', source: { label: 'Rationale' } };

  it('rejects a card summary of 140 characters or more', () => {
    expect(cardSchema.safeParse({ ...card, summary: 'a'.repeat(139) }).success).toBe(true);
    expect(cardSchema.safeParse({ ...card, summary: 'a'.repeat(140) }).success).toBe(false);
  });

  it('requires selectionBehavior when suggestions are present', () => {
    expect(cardSchema.safeParse({ ...card, suggestions: [{ label: 's' }] }).success).toBe(false);
    expect(
      cardSchema.safeParse({ ...card, suggestions: [{ label: 's' }], selectionBehavior: 'any' }).success,
    ).toBe(true);
  });

  it("reads Epic's overrideReasons spelling as well as overrideReason", () => {
    const base = { card: 'c1', outcome: 'overridden', outcomeTimestamp: '2026-01-01T00:00:00Z' };
    const epic = feedbackEntrySchema.parse({
      ...base,
      overrideReasons: { reason: { code: 'declined', display: 'Declined' } },
    });
    const spec = feedbackEntrySchema.parse({ ...base, overrideReason: { reason: { code: 'declined' } } });
    expect(overrideReasonOf(epic)?.reason?.code).toBe('declined');
    expect(overrideReasonOf(spec)?.reason?.code).toBe('declined');
  });

  it('requires acceptedSuggestions for an accepted outcome', () => {
    const entry = { card: 'c1', outcome: 'accepted', outcomeTimestamp: '2026-01-01T00:00:00Z' };
    expect(feedbackEntrySchema.safeParse(entry).success).toBe(false);
    expect(feedbackEntrySchema.safeParse({ ...entry, acceptedSuggestions: [{ id: 's1' }] }).success).toBe(
      true,
    );
  });

  it('requires fhirServer when fhirAuthorization is present', () => {
    const req = {
      hook: 'patient-view',
      hookInstance: 'd1577c69-dfbe-44ad-ba6d-3e05e953b2ea',
      context: { userId: 'Practitioner/1', patientId: '1' },
      fhirAuthorization: {
        access_token: 't',
        token_type: 'Bearer',
        expires_in: 300,
        scope: 'patient/*.rs',
        subject: 'svc',
      },
    };
    expect(cdsRequestSchema.safeParse(req).success).toBe(false);
    expect(cdsRequestSchema.safeParse({ ...req, fhirServer: 'https://ehr.example.org/fhir' }).success).toBe(
      true,
    );
  });

  it('tolerates unknown extension keys', () => {
    const req = {
      hook: 'patient-view',
      hookInstance: 'h',
      context: { userId: 'Practitioner/1', patientId: '1' },
      extension: { 'com.epic.cdshooks.request.bpa-trigger-action': '60' },
    };
    expect(cdsRequestSchema.safeParse(req).success).toBe(true);
  });
});
