import { describe, expect, it } from 'vitest';
import { emptyTherapistDraft, toCreateTherapistInput, validateTherapist } from './use-therapists';

const valid = () => ({
  ...emptyTherapistDraft('Europe/Berlin'),
  email: 'new.therapist@kindred.test',
  password: 'correct horse battery',
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
    expect(Object.keys(problems(emptyTherapistDraft())).sort()).toEqual(['credentials', 'displayName', 'email', 'password', 'timeZone']);
  });

  it('wants a real email address and a password of 12 to 200 characters, as the API does', () => {
    expect(problems({ ...valid(), email: 'not-an-email' }).email).toBe('Enter a valid email address.');
    expect(problems({ ...valid(), password: 'elevenchars' }).password).toBe('At least 12 characters.');
    expect(problems({ ...valid(), password: 'twelve chars' })).toEqual({});
    expect(problems({ ...valid(), password: 'p'.repeat(201) }).password).toBe('At most 200 characters.');
  });

  it('mirrors the API length limits', () => {
    expect(problems({ ...valid(), displayName: 'n'.repeat(121) }).displayName).toBe('At most 120 characters.');
    expect(problems({ ...valid(), credentials: 'c'.repeat(201) }).credentials).toBe('At most 200 characters.');
    expect(problems({ ...valid(), bio: 'b'.repeat(4001) }).bio).toBe('At most 4000 characters.');
  });

  it('sends trimmed text but the password exactly as typed', () => {
    expect(toCreateTherapistInput({ ...valid(), displayName: '  Dr. Lena Braun ', password: ' spaces count ' })).toMatchObject({
      displayName: 'Dr. Lena Braun',
      password: ' spaces count ',
    });
  });
});
