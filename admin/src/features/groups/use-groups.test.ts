import { describe, expect, it } from 'vitest';
import { emptyFilters, toGroupFilter, toScheduleInput, validateSchedule } from './use-groups';

describe('group filters', () => {
  it('sends only the filters that are set', () => {
    expect(toGroupFilter(emptyFilters())).toEqual({});
    expect(toGroupFilter({ statuses: ['OPEN'], programId: 'p1', therapistId: 't1', timeZone: 'Asia/Tokyo', availability: 'full' })).toEqual(
      { statuses: ['OPEN'], programId: 'p1', therapistId: 't1', timeZone: 'Asia/Tokyo', hasSeatsAvailable: false },
    );
  });

  it('pins a therapist to its own groups', () => {
    expect(toGroupFilter({ ...emptyFilters(), therapistId: 'other' }, 'me').therapistId).toBe('me');
  });
});

describe('schedule validation', () => {
  const valid = {
    timeZone: 'Europe/Berlin',
    startsOn: '2027-01-04',
    weekday: 'MONDAY',
    startTime: '18:30',
    durationMinutes: null,
    sessionCount: 8,
  } as const;

  it('accepts a complete schedule and omits unset defaults', () => {
    expect(Object.values(validateSchedule(valid)).filter(Boolean)).toEqual([]);
    expect(toScheduleInput(valid)).toEqual({
      timeZone: 'Europe/Berlin',
      startsOn: '2027-01-04',
      weekday: 'MONDAY',
      startTime: '18:30',
      sessionCount: 8,
    });
  });

  it('names the fields by their API path', () => {
    const errors = validateSchedule({ ...valid, startTime: '25:00', timeZone: null, sessionCount: 200 });
    expect(errors['schedule.startTime']).toMatch(/HH:MM/);
    expect(errors['schedule.timeZone']).toBeTruthy();
    expect(errors['schedule.sessionCount']).toMatch(/1 and 104/);
    expect(toScheduleInput({ ...valid, startTime: '25:00' })).toBeNull();
  });
});
