import { describe, expect, it } from 'vitest';
import { actionLabel, actorOf, dayRange, describeChanges, formatValue, startOfDay } from './use-activity';

describe('describeChanges', () => {
  it('lists an updated object’s changed fields before → after, leaving out fields that kept their value', () => {
    expect(
      describeChanges([
        {
          type: 'Group',
          id: 'g1',
          before: { capacity: 10, coTherapists: ['t1'], title: 'Same' },
          after: { capacity: 12, coTherapists: ['t1', 't2'], title: 'Same' },
        },
      ]),
    ).toEqual([
      {
        type: 'Group',
        id: 'g1',
        kind: 'updated',
        fields: [
          { field: 'capacity', before: '10', after: '12' },
          { field: 'coTherapists', before: 't1', after: 't1, t2' },
        ],
      },
    ]);
  });

  it('shows a created object’s fields with nothing before, and a deleted one’s with nothing after', () => {
    expect(
      describeChanges([
        { type: 'Account', id: 'a1', before: null, after: { email: '[redacted]', approvedAt: null } },
        { type: 'Hold', id: 'h1', before: { seats: 1 }, after: null },
      ]),
    ).toEqual([
      {
        type: 'Account',
        id: 'a1',
        kind: 'created',
        fields: [
          { field: 'email', before: '—', after: '[redacted]' },
          { field: 'approvedAt', before: '—', after: '—' },
        ],
      },
      { type: 'Hold', id: 'h1', kind: 'deleted', fields: [{ field: 'seats', before: '1', after: '—' }] },
    ]);
  });

  it('keeps a field only one side recorded', () => {
    expect(describeChanges([{ type: 'T', id: '1', before: { a: 1 }, after: { b: 2 } }])[0]?.fields).toEqual([
      { field: 'b', before: '—', after: '2' },
      { field: 'a', before: '1', after: '—' },
    ]);
  });
});

describe('formatValue', () => {
  it('reads as a person would', () => {
    expect([null, undefined, '', [], ['x', 2], { a: 1 }, true, 'DRAFT'].map(formatValue)).toEqual([
      '—',
      '—',
      '(empty)',
      '(none)',
      'x, 2',
      '{"a":1}',
      'true',
      'DRAFT',
    ]);
  });
});

describe('actorOf and actionLabel', () => {
  it('names each kind of actor', () => {
    expect(actorOf({ actorKind: 'ADMIN', actor: { __typename: 'Admin', id: 'A', email: 'a@kindred.test' } })).toEqual({
      kind: 'Admin',
      name: 'a@kindred.test',
      id: 'A',
    });
    expect(actorOf({ actorKind: 'THERAPIST', actor: { __typename: 'Therapist', id: 'T', displayName: 'Dr. T' } }).name).toBe('Dr. T');
    expect(actorOf({ actorKind: 'PARTNER', actor: { __typename: 'Partner', id: 'P', name: 'Clinic' } }).name).toBe('Clinic');
    expect(actorOf({ actorKind: 'OPERATOR', actor: null })).toEqual({ kind: 'Operator', name: 'Server command', id: null });
    expect(actorOf({ actorKind: 'ADMIN', actor: null }).name).toBe('An admin');
    expect(actorOf({ actorKind: 'THERAPIST', actor: null }).name).toBe('No longer exists');
  });

  it('turns a mutation name into words', () => {
    expect(actionLabel('approveTherapist')).toBe('Approve therapist');
    expect(actionLabel('createPartnerApiKey')).toBe('Create partner api key');
  });
});

describe('dayRange', () => {
  it('turns days in a time zone into instants, the last day included', () => {
    expect(dayRange('2026-03-01', '2026-03-02', 'Europe/Berlin')).toEqual({
      since: '2026-02-28T23:00:00.000Z',
      until: '2026-03-02T23:00:00.000Z',
    });
    expect(dayRange('', '2026-12-31', 'UTC')).toEqual({ since: null, until: '2027-01-01T00:00:00.000Z' });
    expect(dayRange('not a day', '', 'UTC')).toEqual({ since: null, until: null });
  });

  it('finds midnight on both sides of a daylight-saving change', () => {
    expect(startOfDay('2026-03-29', 'Europe/Berlin')).toBe('2026-03-28T23:00:00.000Z');
    expect(startOfDay('2026-03-30', 'Europe/Berlin')).toBe('2026-03-29T22:00:00.000Z');
    expect(startOfDay('2026-11-01', 'America/New_York')).toBe('2026-11-01T04:00:00.000Z');
    expect(startOfDay('2026-11-02', 'America/New_York')).toBe('2026-11-02T05:00:00.000Z');
  });
});
