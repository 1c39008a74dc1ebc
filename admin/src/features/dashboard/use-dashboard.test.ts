import { describe, expect, it } from 'vitest';
import { attendanceTrend, type DashboardGroup, localDay, occupancy, upcomingByDay, waitlists, weekStart } from './use-dashboard';

const group = (over: Partial<DashboardGroup>): DashboardGroup => ({
  id: 'g',
  title: 'G',
  status: 'OPEN',
  timeZone: 'UTC',
  capacity: 10,
  seatsTaken: 0,
  seatsHeld: 0,
  waitlistLength: 0,
  sessions: [],
  ...over,
});
const session = (startsAt: string, attendance: string[] = [], status = 'SCHEDULED') =>
  ({
    id: startsAt,
    position: 1,
    startsAt,
    status,
    attendance: attendance.map((s) => ({ status: s })),
  }) as DashboardGroup['sessions'][number];

describe('dashboard figures', () => {
  it('splits seats into confirmed, held and free, fullest group first', () => {
    const rows = occupancy([
      group({ title: 'Half', capacity: 10, seatsTaken: 5, seatsHeld: 1 }),
      group({ title: 'Full', capacity: 6, seatsTaken: 6 }),
      group({ title: 'Draft', status: 'DRAFT', seatsTaken: 1 }),
    ]);
    expect(rows).toEqual([
      { title: 'Full', confirmed: 6, held: 0, free: 0, ratio: 1 },
      { title: 'Half', confirmed: 4, held: 1, free: 5, ratio: 0.5 },
    ]);
  });

  it('lists only groups with people waiting', () => {
    expect(waitlists([group({ title: 'A', waitlistLength: 3 }), group({ title: 'B' })])).toEqual([{ title: 'A', waiting: 3 }]);
  });

  it('counts upcoming sessions per day in the viewer’s time zone', () => {
    const now = new Date('2027-01-04T12:00:00Z');
    // 23:30 UTC on 4 Jan is already 5 Jan in Berlin.
    const g = group({
      sessions: [session('2027-01-04T23:30:00Z'), session('2027-01-03T10:00:00Z'), session('2027-01-06T10:00:00Z', [], 'CANCELLED')],
    });
    const berlin = upcomingByDay([g], 'Europe/Berlin', now, 3);
    expect(berlin.days).toEqual(['2027-01-04', '2027-01-05', '2027-01-06']);
    expect(berlin.counts).toEqual([0, 1, 0]);
    expect(upcomingByDay([g], 'UTC', now, 3).counts).toEqual([1, 0, 0]);
    expect(berlin.next).toHaveLength(1);
  });

  it('computes the weekly attendance rate from recorded attendance', () => {
    const g = group({
      status: 'IN_PROGRESS',
      sessions: [
        session('2027-01-05T18:00:00Z', ['PRESENT', 'LATE', 'ABSENT', 'EXCUSED']),
        session('2027-01-12T18:00:00Z', ['PRESENT', 'PRESENT']),
        session('2027-01-19T18:00:00Z'),
      ],
    });
    expect(attendanceTrend([g], 'UTC')).toEqual([
      { week: '2027-01-04', rate: 50, recorded: 4 },
      { week: '2027-01-11', rate: 100, recorded: 2 },
    ]);
  });

  it('finds calendar days and week starts', () => {
    expect(localDay('2027-01-04T23:30:00Z', 'Asia/Tokyo')).toBe('2027-01-05');
    expect(weekStart('2027-01-10')).toBe('2027-01-04');
    expect(weekStart('2027-01-04')).toBe('2027-01-04');
  });
});
