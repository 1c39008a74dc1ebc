/** Attendance a group's therapists recorded after its past sessions, for members who had a seat then. */
import { type Attendance, type Group, type Reservation, takesSeat, type Timeline } from './model.js';
import { Rng } from './random.js';
import { MINUTE } from './time.js';

/** Share of past sessions whose attendance was recorded, by group status. */
const RECORDED: Partial<Record<Group['status'], number>> = { IN_PROGRESS: 0.45, COMPLETED: 0.12, CANCELLED: 0.3 };

const STATUSES: readonly (readonly [Attendance['status'], number])[] = [
  ['PRESENT', 74],
  ['LATE', 8],
  ['ABSENT', 12],
  ['EXCUSED', 6],
];

/** Whether the reservation held a seat (HELD or CONFIRMED) at an instant. */
function seatedAt(reservation: Reservation, at: number): boolean {
  let status = null;
  for (const step of reservation.steps) {
    if (step.at > at) break;
    status = step.status;
  }
  return status !== null && takesSeat(status);
}

export function buildAttendance(seed: string, group: Group, reservations: Reservation[], timeline: Timeline): Attendance[] {
  const share = RECORDED[group.status];
  if (!share || group.startedAt === null) return [];
  const rng = new Rng(`${seed}:attendance:${group.index}`);
  const rows: Attendance[] = [];
  for (const session of group.sessions) {
    if (session.status !== 'COMPLETED' || !rng.chance(share)) continue;
    const recorder = group.coTherapists.length > 0 && rng.chance(0.2) ? rng.pick(group.coTherapists) : group.lead;
    const recordedAt = Math.min(session.endsAt + rng.int(5, 180) * MINUTE, timeline.today - MINUTE);
    for (const r of reservations) {
      if (!seatedAt(r, session.startsAt)) continue;
      rows.push({ sessionId: session.id, memberId: r.member.id, status: rng.weighted(STATUSES), recordedById: recorder.id, recordedAt });
    }
  }
  return rows;
}
