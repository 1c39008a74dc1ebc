/**
 * Replays a group's life through Kindred's seat rules (api/src/modules/reservations), event by
 * event up to the seeding day, and records every reservation change as Kindred would have made
 * it: who acted, the history reason its trigger writes, and the row after the change.
 *
 * - A reservation takes a free seat (CONFIRMED when the member has signed the agreement the
 *   group's program requires, HELD for `hold_minutes` otherwise) or joins the waitlist.
 * - A hold is confirmed when the member signs before it runs out; otherwise the sweeper expires
 *   it within seconds of `expires_at`. Every seat transaction first expires due holds, then gives
 *   free seats to the waitlist in order (CONFIRMED if signed, HELD otherwise).
 * - Members and partners cancel (late when a session starts within the cancellation window),
 *   therapists and admins remove, admins cancel groups.
 * - The lifecycle job starts groups (a CLOSED cohort then cancels its waitlist and expires its
 *   unsigned holds) and completes them (remaining waitlist and holds end).
 *
 * Holds alive on the seeding day all run at least three days past its start, so none expires
 * while a benchmark runs that day: a waitlisted member whose promotion would break that leaves
 * the waitlist just before instead.
 */
import { REMOVAL_REASONS, type Region } from './content.js';
import {
  type Group,
  isActive,
  lastStep,
  type Member,
  type Partner,
  type Reservation,
  type RowState,
  takesSeat,
  type Timeline,
} from './model.js';
import { Rng, uuidV7 } from './random.js';
import { DAY, HOUR, MINUTE, SECOND } from './time.js';

/** Members who may reserve (not the storm's), by registration date, to sample those registered before an instant. */
export class MemberPool {
  private readonly all: Member[];
  private readonly byRegion = new Map<Region, Member[]>();

  constructor(members: Member[]) {
    this.all = members.filter((m) => !m.storm).sort((a, b) => a.createdAt - b.createdAt || a.index - b.index);
    for (const m of this.all) {
      const list = this.byRegion.get(m.region) ?? [];
      list.push(m);
      this.byRegion.set(m.region, list);
    }
  }

  /** A member registered at least an hour before `at`, from `region` with probability `local`. */
  sample(rng: Rng, at: number, region: Region, local: number): Member | null {
    const list = rng.chance(local) ? (this.byRegion.get(region) ?? this.all) : this.all;
    const n = countBefore(list, at - HOUR, (m) => m.createdAt);
    return n === 0 ? null : list[rng.int(0, n - 1)]!;
  }
}

/** Every signature of the pool's members, by time: a member who reserves minutes before signing. */
export class SignatureIndex {
  private readonly entries: { at: number; member: Member }[] = [];

  constructor(members: Member[]) {
    for (const m of members) {
      if (m.storm) continue;
      for (const at of [m.signedV1At, m.signedV2At]) if (at !== null) this.entries.push({ at, member: m });
    }
    this.entries.sort((a, b) => a.at - b.at || a.member.index - b.member.index);
  }

  sample(rng: Rng, from: number, to: number): { at: number; member: Member } | null {
    const lo = countBefore(this.entries, from, (e) => e.at);
    const hi = countBefore(this.entries, to, (e) => e.at);
    return hi > lo ? this.entries[rng.int(lo, hi - 1)]! : null;
  }
}

/** How many items (sorted by `key`) have a key below `limit`. */
function countBefore<T>(items: T[], limit: number, key: (item: T) => number): number {
  let lo = 0;
  let hi = items.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (key(items[mid]!) < limit) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

export interface SeatWorld {
  seed: string;
  timeline: Timeline;
  adminAccountId: string;
  partners: Partner[];
  pool: MemberPool;
  signatures: SignatureIndex;
}

/** A live hold on the seeding day runs at least this far past its start. */
const HOLD_MARGIN = 3 * DAY;
const SIGN_FLOW_SHARE = 0.15;
const CANCEL_SEAT = 0.2;
const CANCEL_WAITLIST = 0.35;
const REMOVE_SEAT = 0.012;
const ADMIN_SHARE = 0.05;

interface Actor {
  actor: string;
  kind: string;
}

interface Event {
  at: number;
  seq: number;
  run: () => void;
}

/** Simulates one group receiving `arrivals` reservation requests; returns its reservations. */
export function simulateGroup(group: Group, arrivals: number, world: SeatWorld): Reservation[] {
  const rng = new Rng(`${world.seed}:seats:${group.index}`);
  const { today, version2At } = world.timeline;
  const holdMs = group.holdMinutes * MINUTE;
  const needsAgreement = group.program.requiresAgreement;
  const admin: Actor = { actor: `ADMIN:${world.adminAccountId}`, kind: 'ADMIN' };
  const firstStart = group.sessions[0]!.startsAt;
  const lastStart = group.sessions[group.sessions.length - 1]!.startsAt;
  const stop = Math.min(today - 3 * HOUR, group.cancelledAt ?? Number.POSITIVE_INFINITY, group.completedAt ?? Number.POSITIVE_INFINITY);

  const reservations: Reservation[] = [];
  const activeOf = new Map<Member, Reservation>();
  const waitlist: Reservation[] = [];
  const held = new Set<Reservation>();
  let seats = 0;
  let order = 0;

  const queue: Event[] = [];
  let seq = 0;
  const schedule = (at: number, run: () => void) => {
    if (at >= today) return;
    const event = { at, seq: seq++, run };
    let i = queue.length;
    while (i > 0 && (queue[i - 1]!.at > at || (queue[i - 1]!.at === at && queue[i - 1]!.seq > event.seq))) i--;
    queue.splice(i, 0, event);
  };

  const memberActor = (m: Member): Actor =>
    m.partner === null
      ? { actor: `MEMBER:${m.account!.id}`, kind: 'MEMBER' }
      : { actor: `PARTNER:${world.partners[m.partner]!.id}`, kind: 'PARTNER' };

  /** `member_has_signed` at an instant: the latest version requiring a signature, or a later one. */
  const signed = (m: Member, at: number) => {
    if (!needsAgreement) return true;
    const version = at < version2At ? (m.signedV1At ?? m.signedV2At) : m.signedV2At;
    return version !== null && version <= at;
  };
  const nextSignature = (m: Member, at: number) => {
    const later = [m.signedV1At, m.signedV2At].filter((s): s is number => s !== null && s > at);
    return later.length > 0 ? Math.min(...later) : null;
  };
  /** A hold taken now would still be running, unconfirmed, on the seeding day, and end within the margin. */
  const badHold = (m: Member, at: number) => {
    const expires = at + holdMs;
    const signs = nextSignature(m, at);
    if (signs !== null && signs < expires) return false;
    return expires >= today && expires < today + HOLD_MARGIN;
  };

  /** Applies a change to the row (and the group's seat figures), recording Kindred's history event. */
  const change = (r: Reservation, at: number, patch: Partial<RowState>, who: string, reason: string | null, touch = true) => {
    const before = r.steps.length > 0 ? lastStep(r) : null;
    const base: RowState = before ?? {
      status: 'WAITLISTED',
      expiresAt: null,
      updatedAt: at,
      endedAt: null,
      endedBy: null,
      cancelledLate: null,
      removalReason: null,
    };
    const row: RowState = { ...base, ...patch, updatedAt: touch ? at : base.updatedAt };
    r.steps.push({ ...row, at, actor: who, reason, order: order++ });
    const was = before?.status;
    if (was !== undefined && takesSeat(was)) seats--;
    if (takesSeat(row.status)) seats++;
    if (was === 'WAITLISTED') waitlist.splice(waitlist.indexOf(r), 1);
    if (row.status === 'WAITLISTED' && was !== 'WAITLISTED') waitlist.push(r);
    if (row.status === 'HELD') held.add(r);
    else held.delete(r);
    if (isActive(row.status)) activeOf.set(r.member, r);
    else activeOf.delete(r.member);
  };

  /** A hold ends by the member signing in time, or by the sweeper shortly after it runs out. */
  const followHold = (r: Reservation, at: number) => {
    const expires = at + holdMs;
    const signs = nextSignature(r.member, at);
    if (signs !== null && signs < expires) schedule(signs, () => confirmByMember(r, signs));
    else {
      const sweep = expires + rng.int(0, 5 * SECOND);
      schedule(sweep, () => settle(sweep, 'hold expired'));
    }
  };

  /** Rule 4: free seats go to the waitlist in order, CONFIRMED if signed, HELD otherwise. */
  const promote = (at: number, guard: boolean) => {
    while (seats < group.capacity && waitlist.length > 0) {
      const head = waitlist[0]!;
      const m = head.member;
      if (signed(m, at)) {
        change(head, at, { status: 'CONFIRMED', expiresAt: null }, 'SYSTEM', 'promoted from the waitlist');
      } else if (guard && badHold(m, at)) {
        const who = memberActor(m);
        change(head, at, { status: 'CANCELLED', endedAt: at, endedBy: who.kind, expiresAt: null, cancelledLate: false }, who.actor, null);
      } else {
        change(head, at, { status: 'HELD', expiresAt: at + holdMs }, 'SYSTEM', 'promoted from the waitlist');
        followHold(head, at);
      }
    }
  };

  /** What every seat transaction does first under the group lock: expire due holds, then fill free seats. */
  const settle = (at: number, reason: string | null, guard = true) => {
    for (const r of [...held]) {
      if (lastStep(r).expiresAt! > at) continue;
      if (signed(r.member, at)) change(r, at, { status: 'CONFIRMED', expiresAt: null }, 'SYSTEM', reason);
      else {
        const why = reason === 'group started' || reason === 'group completed' ? reason : 'hold expired';
        change(r, at, { status: 'EXPIRED', endedAt: at, endedBy: 'SYSTEM' }, 'SYSTEM', why);
      }
    }
    promote(at, guard);
  };

  const confirmByMember = (r: Reservation, at: number) => {
    settle(at, null);
    const row = lastStep(r);
    if (row.status === 'HELD' && row.expiresAt! > at)
      change(r, at, { status: 'CONFIRMED', expiresAt: null }, memberActor(r.member).actor, null);
  };

  const lateAt = (at: number) => group.sessions.some((s) => s.startsAt > at && s.startsAt <= at + group.cancellationWindowHours * HOUR);

  const cancel = (r: Reservation, at: number) => {
    settle(at, null);
    const status = lastStep(r).status;
    if (!isActive(status)) return;
    const who = rng.chance(ADMIN_SHARE) ? admin : memberActor(r.member);
    const late = takesSeat(status) ? lateAt(at) : false;
    change(
      r,
      at,
      { status: 'CANCELLED', endedAt: at, endedBy: who.kind, expiresAt: null, cancelledLate: late, removalReason: null },
      who.actor,
      null,
    );
    promote(at, true);
  };

  const remove = (r: Reservation, at: number) => {
    settle(at, null);
    if (!isActive(lastStep(r).status)) return;
    const reason = rng.pick(REMOVAL_REASONS);
    const who: Actor = rng.chance(0.7) ? { actor: `THERAPIST:${group.lead.account.id}`, kind: 'THERAPIST' } : admin;
    change(
      r,
      at,
      { status: 'REMOVED', endedAt: at, endedBy: who.kind, expiresAt: null, cancelledLate: null, removalReason: reason },
      who.actor,
      reason,
    );
    promote(at, true);
  };

  /** The lifecycle job's `update … where status in ('WAITLISTED', 'HELD')` when a group starts or ends. */
  const endWaiting = (at: number, reason: string) => {
    for (const r of [...activeOf.values()]) {
      const status = lastStep(r).status;
      if (status === 'WAITLISTED') change(r, at, { status: 'CANCELLED', endedAt: at, endedBy: 'SYSTEM' }, 'SYSTEM', reason);
      else if (status === 'HELD') change(r, at, { status: 'EXPIRED', endedAt: at, endedBy: 'SYSTEM' }, 'SYSTEM', reason);
    }
  };

  const arrive = (at: number, preset: Member | null) => {
    settle(at, null);
    const seat = seats < group.capacity;
    const fits = (m: Member) => m.createdAt + HOUR <= at && !activeOf.has(m) && !(seat && !signed(m, at) && badHold(m, at));
    let member = preset && fits(preset) ? preset : null;
    for (let tries = 0; member === null && tries < 40; tries++) {
      const candidate = world.pool.sample(rng, at, group.region, group.format === 'IN_PERSON' ? 0.95 : 0.75);
      if (candidate && fits(candidate)) member = candidate;
    }
    if (member === null) return;
    const who = rng.chance(ADMIN_SHARE) ? admin : memberActor(member);
    const status = !seat ? 'WAITLISTED' : signed(member, at) ? 'CONFIRMED' : 'HELD';
    const r: Reservation = { id: uuidV7(at, rng), group, member, createdAt: at, waitlistSeq: null, steps: [] };
    reservations.push(r);
    change(r, at, { status, expiresAt: status === 'HELD' ? at + holdMs : null }, who.actor, null);
    if (status === 'HELD') followHold(r, at);
    const last = Math.min(stop, lastStart);
    if (rng.chance(seat ? CANCEL_SEAT : CANCEL_WAITLIST)) {
      const when = at + Math.max(10 * MINUTE, Math.floor(-Math.log(1 - rng.next()) * 12 * DAY));
      if (when < last) schedule(when, () => cancel(r, when));
    }
    if (seat && rng.chance(REMOVE_SEAT)) {
      const when = at + rng.int(1, 30) * DAY + rng.int(0, 8) * HOUR;
      if (when < last) schedule(when, () => remove(r, when));
    }
  };

  for (const [at, preset] of arrivalTimes(rng, group, arrivals, world, stop, firstStart, lastStart)) schedule(at, () => arrive(at, preset));
  if (group.startedAt !== null && (group.cancelledAt === null || group.startedAt < group.cancelledAt)) {
    const at = group.startedAt;
    schedule(at, () => {
      // A CLOSED cohort is fixed at the start: a hold promoted now ends in the same transaction.
      settle(at, 'group started', group.type !== 'CLOSED');
      if (group.type === 'CLOSED') endWaiting(at, 'group started');
    });
  }
  if (group.completedAt !== null) {
    const at = group.completedAt;
    schedule(at, () => endWaiting(at, 'group completed'));
  }
  if (group.cancelledAt !== null) {
    const at = group.cancelledAt;
    schedule(at, () => {
      // cancelGroup uses a bulk update: no settle, and `updated_at` stays as it was.
      for (const r of [...activeOf.values()]) {
        change(
          r,
          at,
          { status: 'CANCELLED', endedAt: at, endedBy: 'SYSTEM', cancelledLate: false, expiresAt: null },
          admin.actor,
          `group cancelled: ${group.cancellationReason}`,
          false,
        );
      }
    });
  }

  while (queue.length > 0) queue.shift()!.run();

  for (const r of held) {
    if (lastStep(r).expiresAt! < today + HOLD_MARGIN)
      throw new Error(`Seeder bug: a hold in group ${group.index} runs out within the margin.`);
  }
  return reservations;
}

/**
 * When reservation requests arrive: while the group takes them (until its first session for a
 * CLOSED cohort, its last for a rolling group), uniformly, plus some members who reserve a few
 * minutes before signing the agreement (their hold is then confirmed by the signature).
 */
function arrivalTimes(
  rng: Rng,
  group: Group,
  count: number,
  world: SeatWorld,
  stop: number,
  firstStart: number,
  lastStart: number,
): [number, Member | null][] {
  if (group.openedAt === null) return [];
  const from = group.openedAt + 30 * MINUTE;
  const to = Math.min(stop, group.type === 'CLOSED' ? firstStart : lastStart);
  if (to <= from) return [];
  const out: [number, Member | null][] = [];
  for (let i = 0; i < count; i++) {
    if (group.program.requiresAgreement && rng.chance(SIGN_FLOW_SHARE)) {
      const signature = world.signatures.sample(rng, from + 30 * MINUTE, to);
      if (signature) {
        const lead = rng.int(1, Math.min(group.holdMinutes - 1, 25)) * MINUTE + rng.int(0, 59) * SECOND;
        out.push([signature.at - lead, signature.member]);
        continue;
      }
    }
    out.push([rng.int(from, to - 1), null]);
  }
  out.sort((a, b) => a[0] - b[0]);
  // Distinct milliseconds, so UUIDv7 order is acceptance order within the group, as in Kindred.
  for (let i = 1; i < out.length; i++) if (out[i]![0] <= out[i - 1]![0]) out[i]![0] = out[i - 1]![0] + 1;
  return out;
}
