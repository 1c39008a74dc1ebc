/**
 * Groups and their sessions. Each group's schedule is planned exactly as Kindred plans it (see
 * schedule.ts), and its dates are chosen so that its status is the one Kindred's lifecycle
 * would show on the seeding day: OPEN groups start after tomorrow, IN_PROGRESS ones started
 * and have at least a week to run, COMPLETED ones have ended.
 */
import { GROUP_CANCELLATION_REASONS } from './content.js';
import type { Group, GroupStatus, Program, Session, Therapist, Timeline } from './model.js';
import { placeIn } from './people.js';
import { Rng, uuidV7 } from './random.js';
import { type PlannedSession, planSessions, WEEKDAYS } from './schedule.js';
import { DAY, HOUR, isoDay, SECOND } from './time.js';

const STATUS_SHARES: readonly (readonly [GroupStatus, number])[] = [
  ['IN_PROGRESS', 0.175],
  ['COMPLETED', 0.15],
  ['DRAFT', 0.075],
  ['CANCELLED', 0.05],
];

const START_TIMES: readonly (readonly [string, number])[] = [
  ['07:30', 3],
  ['09:00', 4],
  ['10:00', 6],
  ['12:00', 3],
  ['12:30', 2],
  ['14:00', 2],
  ['17:30', 6],
  ['18:00', 10],
  ['18:30', 10],
  ['19:00', 10],
  ['19:30', 6],
  ['20:00', 4],
];

const CAPACITIES: readonly (readonly [number, number])[] = [
  [6, 1],
  [7, 1],
  [8, 3],
  [9, 2],
  [10, 4],
  [11, 2],
  [12, 4],
  [13, 1],
  [14, 2],
  [15, 1],
  [16, 2],
];

/** Hold times (minutes): long holds are what leaves live HELD seats on the seeding day. */
const HOLDS_WITH_AGREEMENT: readonly (readonly [number, number])[] = [
  [30, 35],
  [60, 10],
  [120, 5],
  [1440, 15],
  [2880, 10],
  [10080, 25],
];
const HOLDS_WITHOUT_AGREEMENT: readonly (readonly [number, number])[] = [
  [30, 70],
  [60, 15],
  [1440, 15],
];

const CANCELLATION_WINDOWS: readonly (readonly [number, number])[] = [
  [24, 60],
  [48, 20],
  [12, 10],
  [72, 5],
  [0, 5],
];

/** The lifecycle job runs every 30 seconds: status changes land within that after their moment. */
const lifecycleTick = (rng: Rng) => rng.int(1, 30) * SECOND;

export interface GroupPlanOptions {
  count: number;
  stormCount: number;
  popularCount: number;
}

export function buildGroups(
  seed: string,
  options: GroupPlanOptions,
  programs: Program[],
  therapists: Therapist[],
  timeline: Timeline,
): Group[] {
  const rng = new Rng(`${seed}:groups`);
  const statuses: GroupStatus[] = [];
  for (const [status, share] of STATUS_SHARES) for (let i = Math.round(options.count * share); i > 0; i--) statuses.push(status);
  while (statuses.length < options.count) statuses.push('OPEN');
  rng.shuffle(statuses);

  const published = programs.filter((p) => p.status === 'PUBLISHED');
  const withoutAgreement = published.filter((p) => !p.requiresAgreement);
  const withAgreement = published.filter((p) => p.requiresAgreement);
  const everRun = programs.filter((p) => p.status !== 'DRAFT');
  const leadWeights = therapists.map((t) => [t, rng.float(0.3, 2)] as const);

  let storm = options.stormCount;
  let popular = options.popularCount;
  return statuses.map((status, index) => {
    const isStorm = status === 'OPEN' && storm-- > 0;
    const isPopular = status === 'OPEN' && !isStorm && popular-- > 0;
    const candidates = isStorm ? withoutAgreement : isPopular ? withAgreement : status === 'COMPLETED' ? everRun : published;
    const program = rng.pick(candidates.length > 0 ? candidates : published);
    const lead = rng.weighted(leadWeights);
    return buildGroup(rng, index, status, program, lead, therapists, timeline, isStorm, isPopular);
  });
}

function buildGroup(
  rng: Rng,
  index: number,
  status: GroupStatus,
  program: Program,
  lead: Therapist,
  therapists: Therapist[],
  timeline: Timeline,
  storm: boolean,
  popular: boolean,
): Group {
  const { today } = timeline;
  const place = placeIn(rng, null);
  const format = rng.chance(0.3) ? 'IN_PERSON' : 'ONLINE';
  const type = rng.chance(0.65) ? 'CLOSED' : 'OPEN';
  const weekday = rng.pick(WEEKDAYS);
  const startTime = rng.weighted(START_TIMES);
  const schedule = {
    timeZone: place.zone,
    weekday,
    startTime,
    durationMinutes: program.sessionLengthMinutes,
    sessionCount: program.sessionCount,
  };
  const sessionCount = program.sessionCount;

  let startsOn = '';
  let planned: PlannedSession[] = [];
  for (let attempt = 0; attempt < 100; attempt++) {
    startsOn = isoDay(today + startOffsetDays(rng, status, sessionCount) * DAY);
    planned = planSessions({ ...schedule, startsOn });
    if (fitsStatus(status, planned, today)) break;
  }
  if (!fitsStatus(status, planned, today)) throw new Error(`No schedule fits a ${status} group (program ${program.title}).`);
  const first = planned[0]!;
  const last = planned[planned.length - 1]!;

  const openedAt =
    status === 'DRAFT'
      ? null
      : Math.max(Math.min(first.startsAt - rng.int(14, 75) * DAY - rng.int(0, 10) * HOUR, today - 2 * DAY), program.publishedAt! + DAY);
  const createdAt =
    openedAt === null ? today - rng.int(1, 30) * DAY - rng.int(0, 8) * HOUR : openedAt - rng.int(1, 20) * DAY - rng.int(0, 8) * HOUR;
  const cancelledAt = status === 'CANCELLED' ? cancellationTime(rng, openedAt!, first.startsAt, last.endsAt, today) : null;
  const ran = status === 'IN_PROGRESS' || status === 'COMPLETED' || (cancelledAt !== null && cancelledAt > first.startsAt);
  const startedAt = ran ? first.startsAt + lifecycleTick(rng) : null;
  const completedAt = status === 'COMPLETED' ? last.endsAt + lifecycleTick(rng) : null;

  const hour = Number(startTime.slice(0, 2));
  const part = hour < 12 ? 'mornings' : hour < 17 ? 'afternoons' : 'evenings';
  const day = `${weekday[0]}${weekday.slice(1).toLowerCase()}`;
  const title =
    format === 'ONLINE'
      ? `${program.short} — ${day} ${part} (online, ${place.city} time)`
      : `${program.short} — ${day} ${part} in ${place.city}`;

  const co = rng.weighted([
    [0, 50],
    [1, 35],
    [2, 15],
  ] as const);
  const coTherapists: Therapist[] = [];
  while (coTherapists.length < co) {
    const t = rng.pick(therapists);
    if (t !== lead && !coTherapists.includes(t)) coTherapists.push(t);
  }

  const id = uuidV7(createdAt, rng);
  const moduleAt = new Map(program.modules.map((m) => [m.position, m.id]));
  const sessions: Session[] = planned.map((s) => ({
    id: uuidV7(createdAt, rng),
    position: s.position,
    startsAt: s.startsAt,
    endsAt: s.endsAt,
    moduleId: moduleAt.get(s.position) ?? null,
    status: sessionStatus(status, s, today, cancelledAt),
  }));

  return {
    index,
    id,
    program,
    title,
    lead,
    coTherapists,
    capacity: popular ? rng.int(10, 14) : rng.weighted(CAPACITIES),
    type,
    format,
    location: format === 'IN_PERSON' ? rng.pick(place.venues) : null,
    timeZone: place.zone,
    region: place.region,
    startsOn,
    weekday,
    startTime,
    durationMinutes: schedule.durationMinutes,
    sessionCount,
    enrolmentDeadline: type === 'CLOSED' ? first.startsAt : null,
    cancellationWindowHours: rng.weighted(CANCELLATION_WINDOWS),
    holdMinutes: rng.weighted(program.requiresAgreement ? HOLDS_WITH_AGREEMENT : HOLDS_WITHOUT_AGREEMENT),
    status,
    cancellationReason: status === 'CANCELLED' ? rng.pick(GROUP_CANCELLATION_REASONS) : null,
    createdAt,
    updatedAt: startedAt === null ? (cancelledAt ?? openedAt ?? createdAt) : (cancelledAt ?? completedAt ?? startedAt),
    openedAt,
    startedAt,
    completedAt,
    cancelledAt,
    sessions,
    demand: baseDemand(rng, status, type, storm, popular),
    storm,
    popular,
  };
}

function startOffsetDays(rng: Rng, status: GroupStatus, sessionCount: number): number {
  switch (status) {
    case 'OPEN':
      return rng.int(2, 100);
    case 'DRAFT':
      return rng.int(10, 150);
    case 'IN_PROGRESS':
      return -rng.int(1, 7 * (sessionCount - 1));
    case 'COMPLETED':
      return -(7 * sessionCount + rng.int(2, 330));
    case 'CANCELLED':
      return rng.int(-150, 60);
  }
}

function fitsStatus(status: GroupStatus, sessions: PlannedSession[], today: number): boolean {
  const first = sessions[0]!;
  const last = sessions[sessions.length - 1]!;
  switch (status) {
    case 'OPEN':
    case 'DRAFT':
      return first.startsAt > today + DAY;
    case 'IN_PROGRESS':
      return first.startsAt < today - 3 * HOUR && last.endsAt > today + 7 * DAY;
    case 'COMPLETED':
      return last.endsAt < today - 3 * HOUR;
    case 'CANCELLED':
      return true;
  }
}

/** Most cancelled groups were called off before they started; some mid-course. */
function cancellationTime(rng: Rng, openedAt: number, firstStart: number, lastEnd: number, today: number): number {
  const latest = today - DAY;
  if (firstStart + HOUR < latest && rng.chance(0.3)) return rng.int(firstStart + HOUR, Math.min(lastEnd, latest));
  return rng.int(openedAt + DAY, Math.min(firstStart - HOUR, latest));
}

function sessionStatus(status: GroupStatus, session: PlannedSession, today: number, cancelledAt: number | null): Session['status'] {
  if (status === 'CANCELLED') return session.endsAt <= cancelledAt! ? 'COMPLETED' : 'CANCELLED';
  return session.endsAt <= today ? 'COMPLETED' : 'SCHEDULED';
}

/**
 * Reservations the group receives over its life, per seat (before calibration to the target
 * total). Open groups: about half well short of full, half full with a waitlist; cohorts that
 * ran had more demand than seats (their waitlists were cancelled when they started or ended).
 */
function baseDemand(rng: Rng, status: GroupStatus, type: Group['type'], storm: boolean, popular: boolean): number {
  if (storm) return rng.float(0.1, 0.45);
  if (popular) return rng.float(2.2, 2.8);
  switch (status) {
    case 'DRAFT':
      return 0;
    case 'OPEN':
      return rng.chance(0.55) ? rng.float(0.15, 0.9) : rng.float(1.1, 2);
    case 'CANCELLED':
      return rng.float(0.2, 1.2);
    case 'IN_PROGRESS':
      // A rolling group keeps its waitlist while it runs.
      return type === 'OPEN' ? rng.float(0.8, 1.8) : rng.float(1.5, 4.5);
    default:
      return rng.float(1.5, 4.5);
  }
}
