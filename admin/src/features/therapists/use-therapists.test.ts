import { describe, expect, it } from 'vitest';
import { emptyTherapistDraft, toCreateTherapistInput, validateTherapist } from './use-therapists';

const valid = () => ({
  ...emptyTherapistDraft('Europe/Berlin'),
  email: 'new.therapist@kindred.test',
  displayName: 'Dr. Lena Braun',
  credentials: 'Licensed Psychotherapist',
});

const problems = (draft: ReturnType<typeof valid>) =>
  Object.fromEntries(Object.entries(validateTherapist(toCreateTherapistInput(draft))).filter(([, m]) => m));

describe('validateTherapist', () => {
  it('accepts a complete therapist, with or without a biography', () => {
    expect(problems(valid())).toEqual({});
    expect(problems({ ...valid(), bio: 'Twenty years of group work.' })).toEqual({});
  });

  it('asks for every required field', () => {
    expect(Object.keys(problems(emptyTherapistDraft())).sort()).toEqual(['credentials', 'displayName', 'email', 'timeZone']);
  });

  it('wants a real email address, as the API does, and never a password (the therapist chooses its own)', () => {
    expect(problems({ ...valid(), email: 'not-an-email' }).email).toBe('Enter a valid email address.');
    expect(toCreateTherapistInput(valid())).not.toHaveProperty('password');
  });

  it('mirrors the API length limits', () => {
    expect(problems({ ...valid(), displayName: 'n'.repeat(121) }).displayName).toBe('At most 120 characters.');
    expect(problems({ ...valid(), credentials: 'c'.repeat(201) }).credentials).toBe('At most 200 characters.');
    expect(problems({ ...valid(), bio: 'b'.repeat(4001) }).bio).toBe('At most 4000 characters.');
  });

  it('sends trimmed text', () => {
    expect(toCreateTherapistInput({ ...valid(), displayName: '  Dr. Lena Braun ', email: ' new.therapist@kindred.test ' })).toMatchObject({
      displayName: 'Dr. Lena Braun',
      email: 'new.therapist@kindred.test',
    });
  });
});
