import { describe, expect, it } from 'vitest';
import { eventually, fakeClient } from '@/testing/fake-api';
import { mountWith } from '@/testing/mount';
import AttendanceGrid from './AttendanceGrid.vue';

const member = (id: string, displayName: string) => ({ __typename: 'Member', id, displayName });
const past = '2020-01-06T18:00:00.000Z';
const future = '2099-01-13T18:00:00.000Z';
const session = (id: string, position: number, startsAt: string, attendance: unknown[]) => ({
  __typename: 'Session',
  id,
  position,
  startsAt,
  endsAt: startsAt,
  startsAtLocal: startsAt,
  status: 'SCHEDULED',
  module: null,
  attendance,
});

function api() {
  return fakeClient(({ operationName }) => {
    if (operationName === 'GroupSessions') {
      return {
        data: {
          group: {
            __typename: 'Group',
            id: 'g1',
            timeZone: 'UTC',
            sessions: [
              session('s1', 1, past, [
                { __typename: 'Attendance', status: 'PRESENT', recordedAt: past, member: member('m1', 'Ana') },
                { __typename: 'Attendance', status: 'ABSENT', recordedAt: past, member: member('m3', 'Cleo') },
              ]),
              session('s2', 2, future, []),
            ],
          },
        },
      };
    }
    return {
      data: {
        group: {
          __typename: 'Group',
          id: 'g1',
          reservations: {
            __typename: 'ReservationConnection',
            totalCount: 2,
            pageInfo: { __typename: 'PageInfo', hasNextPage: false, endCursor: 'c2' },
            nodes: [
              { __typename: 'Reservation', id: 'r1', status: 'CONFIRMED', member: member('m1', 'Ana') },
              { __typename: 'Reservation', id: 'r2', status: 'CONFIRMED', member: member('m2', 'Ben') },
            ],
          },
        },
      },
    };
  });
}

describe('AttendanceGrid', () => {
  it('shows seat holders and anyone recorded, with the attendance rate per session', async () => {
    const { client } = api();
    const grid = mountWith(AttendanceGrid, client, { groupId: 'g1', timeZone: 'UTC', canRecord: false });
    await eventually(() => expect(grid.findAll('tbody tr')).toHaveLength(3));
    const rows = grid.findAll('tbody tr').map((row) => row.text());
    expect(rows[0]).toContain('Ana');
    expect(rows[0]).toContain('Present');
    expect(rows[2]).toContain('Cleo');
    expect(rows[2]).toContain('(left)');
    expect(grid.find('tfoot').text()).toContain('50%');
    expect(grid.findAll('[aria-label^="Attendance of"]')).toHaveLength(0);
  });

  it('lets the group’s therapist record sessions that have started, not future ones', async () => {
    const { client } = api();
    const grid = mountWith(AttendanceGrid, client, { groupId: 'g1', timeZone: 'UTC', canRecord: true });
    await eventually(() => expect(grid.findAll('tbody tr')).toHaveLength(3));
    const controls = grid.findAll('[aria-label^="Attendance of"]').map((c) => c.attributes('aria-label'));
    expect(controls).toEqual(['Attendance of Ana, session 1', 'Attendance of Ben, session 1', 'Attendance of Cleo, session 1']);
  });
});
