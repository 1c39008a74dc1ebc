/** Builds the whole dataset in memory, deterministically from the scale and the seeding day. */
import { buildAttendance } from './attendance.js';
import { buildGroups } from './groups.js';
import type {
  Account,
  Agreement,
  Attendance,
  Group,
  Member,
  Partner,
  Program,
  Reservation,
  Signature,
  Therapist,
  Timeline,
} from './model.js';
import { buildAdmin, buildMembers, buildPartners, buildSignatures, buildTherapists } from './people.js';
import { buildAgreement, buildPrograms } from './programs.js';
import { MemberPool, SignatureIndex, simulateGroup } from './seats.js';
import { DAY } from './time.js';

interface DatasetSize {
  programs: number;
  therapists: number;
  groups: number;
  members: number;
  /** Target number of reservations (about; the seat rules decide the exact number). */
  reservations: number;
  stormGroups: number;
  stormMembers: number;
  popularGroups: number;
}

/** Scale 1: 50 programs, 150 therapists, 2,000 groups, 40,000 members, about 60,000 reservations. */
function sizeFor(scale: number): DatasetSize {
  const of = (n: number, min: number) => Math.max(min, Math.round(n * scale));
  return {
    programs: of(50, 6),
    therapists: of(150, 10),
    groups: of(2000, 40),
    members: of(40_000, 800),
    reservations: of(60_000, 1000),
    stormGroups: of(200, 5),
    stormMembers: of(2000, 50),
    popularGroups: of(10, 3),
  };
}

export interface Dataset {
  seed: string;
  timeline: Timeline;
  admin: Account;
  agreement: Agreement;
  partners: Partner[];
  therapists: Therapist[];
  programs: Program[];
  members: Member[];
  signatures: Signature[];
  groups: Group[];
  /** Every group's reservations, group by group, each group's in acceptance order. */
  reservations: Reservation[];
  attendance: Attendance[];
  /** The last value the waitlist sequence handed out. */
  lastWaitlistSeq: number;
}

function timelineFor(today: number): Timeline {
  return { today, agreementAt: today - 600 * DAY, version2At: today - 150 * DAY };
}

export function buildDataset(scale: number, today: number): Dataset {
  const seed = `kindred-bench:${scale}`;
  const size = sizeFor(scale);
  const timeline = timelineFor(today);
  const admin = buildAdmin(seed, timeline);
  const agreement = buildAgreement(seed, timeline);
  const partners = buildPartners(seed, timeline);
  const therapists = buildTherapists(seed, size.therapists, timeline);
  const programs = buildPrograms(seed, size.programs, therapists, timeline);
  const members = buildMembers(seed, size.members, size.stormMembers, timeline);
  const groups = buildGroups(
    seed,
    { count: size.groups, stormCount: size.stormGroups, popularCount: size.popularGroups },
    programs,
    therapists,
    timeline,
  );

  const arrivals = calibrateArrivals(groups, size.reservations);
  const world = {
    seed,
    timeline,
    adminAccountId: admin.id,
    partners,
    pool: new MemberPool(members),
    signatures: new SignatureIndex(members),
  };
  const reservations: Reservation[] = [];
  const attendance: Attendance[] = [];
  for (const group of groups) {
    const own = simulateGroup(group, arrivals.get(group) ?? 0, world);
    reservations.push(...own);
    attendance.push(...buildAttendance(seed, group, own, timeline));
  }
  return {
    seed,
    timeline,
    admin,
    agreement,
    partners,
    therapists,
    programs,
    members,
    signatures: buildSignatures(seed, members, agreement, partners),
    groups,
    reservations,
    attendance,
    lastWaitlistSeq: numberWaitlist(reservations),
  };
}

/** Cohorts whose waitlists ended when they started or completed: they can take any demand. */
const absorbsDemand = (g: Group) => g.status === 'COMPLETED' || (g.status === 'IN_PROGRESS' && g.type === 'CLOSED');

/**
 * Requests per group: groups still taking reservations (and cancelled ones) get their own
 * demand, so open groups keep free seats and short waitlists; past cohorts absorb the rest of
 * the target, as popular groups whose waitlists never got a seat.
 */
function calibrateArrivals(groups: Group[], target: number): Map<Group, number> {
  let fixed = 0;
  let flexible = 0;
  for (const g of groups) {
    if (absorbsDemand(g)) flexible += g.capacity * g.demand;
    else fixed += Math.round(g.capacity * g.demand);
  }
  const factor = flexible > 0 ? Math.min(4, Math.max(0.5, (target - fixed) / flexible)) : 1;
  return new Map(groups.map((g) => [g, Math.round(g.capacity * g.demand * (absorbsDemand(g) ? factor : 1))]));
}

/**
 * `waitlist_seq` comes from one database sequence, taken when a request joins a waitlist: so
 * numbers rise in acceptance order across all groups. Returns the last number used.
 */
function numberWaitlist(reservations: Reservation[]): number {
  const waited = reservations.filter((r) => r.steps[0]!.status === 'WAITLISTED');
  waited.sort((a, b) => a.createdAt - b.createdAt || a.group.index - b.group.index);
  waited.forEach((r, i) => {
    r.waitlistSeq = i + 1;
  });
  return waited.length;
}
