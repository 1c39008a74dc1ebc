import { describe, expect, it } from 'vitest';
import { eventually, fakeClient } from '@/testing/fake-api';
import { mountWith } from '@/testing/mount';
import SchedulePreview from './SchedulePreview.vue';

const schedule = { timeZone: 'Europe/Berlin', startsOn: '2027-03-15', weekday: 'MONDAY', startTime: '18:30', sessionCount: 3 } as const;

/** Three Mondays in Berlin around the spring clock change (28 March 2027). */
const planned = [
  { startsAt: '2027-03-15T17:30:00.000Z', endsAt: '2027-03-15T19:00:00.000Z', startsAtLocal: '2027-03-15T18:30:00.000+01:00' },
  { startsAt: '2027-03-22T17:30:00.000Z', endsAt: '2027-03-22T19:00:00.000Z', startsAtLocal: '2027-03-22T18:30:00.000+01:00' },
  { startsAt: '2027-03-29T16:30:00.000Z', endsAt: '2027-03-29T18:00:00.000Z', startsAtLocal: '2027-03-29T18:30:00.000+02:00' },
].map((s, i) => ({ __typename: 'PlannedSession', position: i + 1, ...s }));

describe('SchedulePreview', () => {
  it('asks the API for the sessions of the schedule and lists them, marking the clock change', async () => {
    const { client, requests } = fakeClient(() => ({ data: { previewGroupSessions: planned } }));
    const view = mountWith(SchedulePreview, client, { schedule, viewerTimeZone: 'Europe/Berlin', debounceMs: 0 });
    await eventually(() => expect(view.findAll('li')).toHaveLength(3));
    expect(requests[0]?.operationName).toBe('PreviewGroupSessions');
    expect(requests[0]?.variables).toEqual({ schedule });
    expect(view.text()).toContain('3 sessions in Europe/Berlin');
    const rows = view.findAll('li');
    expect(rows[2]?.text()).toContain('clock change');
    expect(rows[2]?.text()).toContain('UTC+02:00');
    expect(rows[1]?.text()).not.toContain('clock change');
    expect(view.text()).not.toContain('your time');
  });

  it('shows the viewer’s own time when it is in another zone', async () => {
    const { client } = fakeClient(() => ({ data: { previewGroupSessions: planned } }));
    const view = mountWith(SchedulePreview, client, { schedule, viewerTimeZone: 'America/New_York', debounceMs: 0 });
    await eventually(() => expect(view.findAll('li')).toHaveLength(3));
    expect(view.text()).toContain('your time');
  });

  it('shows the API’s refusal of an invalid schedule', async () => {
    const { client } = fakeClient(() => ({
      data: null,
      errors: [{ message: 'Not an IANA time zone name.', extensions: { code: 'BAD_USER_INPUT' } }],
    }));
    const view = mountWith(SchedulePreview, client, {
      schedule: { ...schedule, timeZone: 'Mars/Olympus' },
      viewerTimeZone: 'UTC',
      debounceMs: 0,
    });
    await eventually(() => expect(view.text()).toContain('Not an IANA time zone name.'));
  });

  it('explains what to fill in while the schedule is incomplete, without asking the API', () => {
    const { client, requests } = fakeClient(() => ({ data: { previewGroupSessions: [] } }));
    const view = mountWith(SchedulePreview, client, { schedule: null, viewerTimeZone: 'UTC', debounceMs: 0 });
    expect(view.text()).toContain('Fill in the time zone');
    expect(requests).toHaveLength(0);
  });
});
