import { describe, expect, it } from 'vitest';
import { assignmentHistory, emptyTherapistDraft, toCreateTherapistInput, validateTherapist } from './use-therapists';

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

describe('assignmentHistory', () => {
  const assignment = (startedAt: string, extra: Record<string, unknown> = {}) => ({
    role: 'CO',
    startedAt,
    startedBy: 'ADMIN',
    startedByAdmin: null,
    endedAt: null,
    endedBy: null,
    endedByAdmin: null,
    ...extra,
  });
  const group = (id: string) => ({ id, title: `Group ${id}`, status: 'OPEN' as const });

  it("lists the therapist's assignments, newest first, naming who made and ended them; a hidden group stays unnamed", () => {
    const rows = assignmentHistory({
      assignments: [
        {
          ...assignment('2026-01-01T10:00:00Z', {
            role: 'LEAD',
            startedBy: 'SYSTEM',
            endedAt: '2026-02-01T10:00:00Z',
            endedBy: 'ADMIN',
            endedByAdmin: { id: 'A2', email: 'second@kindred.test' },
          }),
          group: group('a'),
        },
        { ...assignment('2026-03-01T10:00:00Z', { startedByAdmin: { id: 'A1', email: 'admin@kindred.test' } }), group: group('a') },
        { ...assignment('2026-02-15T10:00:00Z'), group: null },
      ],
    });
    expect(
      rows.map(({ group: g, role, startedBy, endedAt, endedBy }) => ({ group: g?.id ?? null, role, startedBy, endedAt, endedBy })),
    ).toEqual([
      { group: 'a', role: 'Co', startedBy: 'admin@kindred.test', endedAt: null, endedBy: null },
      { group: null, role: 'Co', startedBy: 'Admin', endedAt: null, endedBy: null },
      { group: 'a', role: 'Lead', startedBy: 'System', endedAt: '2026-02-01T10:00:00Z', endedBy: 'second@kindred.test' },
    ]);
  });
});
