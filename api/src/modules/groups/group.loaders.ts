import type { EntityManager } from '@mikro-orm/postgresql';
import DataLoader from 'dataloader';
import { sql } from '../../db/sql.js';
import { grouped, groupedViews, rows, viewById, viewsWhere } from '../../db/view-loaders.js';
import { viewColumns } from '../../db/views.js';
import { TherapistEntity } from '../therapists/index.js';
import { GroupEntity } from './group.entity.js';
import { SessionEntity } from './session.entity.js';

/** Seats of a group by reservation status, from one GROUP BY over all requested groups. */
export interface SeatCounts {
  held: number;
  confirmed: number;
  waitlisted: number;
  /** Milliseconds (database clock) until its first live hold expires — time alone then frees a seat; null when none. */
  heldForMs: number | null;
}

const EMPTY_SEATS: SeatCounts = { held: 0, confirmed: 0, waitlisted: 0, heldForMs: null };

/**
 * Seat counts per group in one GROUP BY. A hold past its expiry counts as free, exactly as
 * the `hasSeatsAvailable` filter counts it (group.queries.ts): reads never settle anything —
 * expiring the hold and promoting the waitlist is the hold sweeper's and the next seat
 * transaction's job (docs/decisions/0006-reads-never-write.md). The one home of that read: the
 * Group seat fields and the public cache's fresh seat figures (group.queries.ts) both use it.
 */
export async function seatCountsOf(em: EntityManager, ids: readonly string[]): Promise<SeatCounts[]> {
  const found = await rows(
    em,
    sql`select group_id,
            count(*) filter (where status = 'HELD' and expires_at > now())::int as held,
            count(*) filter (where status = 'CONFIRMED')::int as confirmed,
            count(*) filter (where status = 'WAITLISTED')::int as waitlisted,
            extract(epoch from min(expires_at) filter (where status = 'HELD' and expires_at > now()) - now())::float8 * 1000 as held_for_ms
       from reservation
      where group_id = any(${ids}::uuid[]) and status in ('HELD', 'CONFIRMED', 'WAITLISTED')
      group by group_id`,
  );
  const byGroup = new Map(found.map((r) => [r.group_id as string, r]));
  return ids.map((id) => {
    const r = byGroup.get(id);
    return r
      ? {
          held: r.held as number,
          confirmed: r.confirmed as number,
          waitlisted: r.waitlisted as number,
          heldForMs: r.held_for_ms as number | null,
        }
      : EMPTY_SEATS;
  });
}

/** One row of a group's therapist history (migration 0010). */
export interface AssignmentRow {
  groupId: string;
  therapistId: string;
  role: 'LEAD' | 'CO';
  startedAt: Date;
  startedBy: string;
  /** The admin account behind an ADMIN stamp. */
  startedByAccountId: string | null;
  endedAt: Date | null;
  endedBy: string | null;
  endedByAccountId: string | null;
}

/** The kind of actor of an `ADMIN:<id>` / `SYSTEM` / `MIGRATION` stamp. */
/** A history stamp is `KIND` or `KIND:id` (seat-transaction.ts `actorOf`). */
const actorKind = (stamp: string | null) => (stamp ? stamp.split(':')[0]! : null);
const adminAccountOf = (stamp: string | null) => (stamp?.startsWith('ADMIN:') ? stamp.slice('ADMIN:'.length) : null);

/** Assignment history rows keyed by their group or their therapist, oldest first. */
async function assignmentsBy(em: EntityManager, key: 'group_id' | 'therapist_id', ids: readonly string[]): Promise<AssignmentRow[][]> {
  const where = key === 'group_id' ? sql`group_id = any(${ids}::uuid[])` : sql`therapist_id = any(${ids}::uuid[])`;
  const found = await rows(
    em,
    sql`select group_id, therapist_id, role, started_at, started_by, ended_at, ended_by from group_therapist_assignment
         where ${where} order by started_at, id`,
  );
  return grouped(ids, found, (r) => r[key] as string).map((list) =>
    list.map(
      (r): AssignmentRow => ({
        groupId: r.group_id as string,
        therapistId: r.therapist_id as string,
        role: r.role as AssignmentRow['role'],
        startedAt: new Date(r.started_at as string),
        startedBy: actorKind(r.started_by as string)!,
        startedByAccountId: adminAccountOf(r.started_by as string),
        endedAt: r.ended_at ? new Date(r.ended_at as string) : null,
        endedBy: actorKind(r.ended_by as string | null),
        endedByAccountId: adminAccountOf(r.ended_by as string | null),
      }),
    ),
  );
}

/** Batch loaders of the groups module (per request; see app/loaders.ts). */
export function groupLoaders(em: EntityManager) {
  return {
    group: viewById(em, GroupEntity),
    session: viewById(em, SessionEntity),

    /** A group's co-therapists, by display name. */
    coTherapistsOfGroup: new DataLoader(async (ids: readonly string[]) => {
      const found = await rows(
        em,
        sql`select gct.group_id, ${viewColumns(em, TherapistEntity, 't')}
           from group_co_therapist gct join therapist t on t.id = gct.therapist_id
          where gct.group_id = any(${ids}::uuid[]) order by t.display_name, t.id`,
      );
      return groupedViews(em, TherapistEntity, ids, found, 'group_id');
    }),

    /** Seat figures per group in one GROUP BY (seatCountsOf). */
    seatsOfGroup: new DataLoader<string, SeatCounts>((ids) => seatCountsOf(em, ids)),

    /** The next scheduled session still to start, per group. */
    nextSessionOfGroup: new DataLoader(async (ids: readonly string[]) => {
      const found = await rows(
        em,
        sql`select distinct on (group_id) ${viewColumns(em, SessionEntity)}
           from group_session
          where group_id = any(${ids}::uuid[]) and status = 'SCHEDULED' and starts_at > now()
          order by group_id, starts_at`,
      );
      return groupedViews(em, SessionEntity, ids, found, 'group_id').map((list) => list[0] ?? null);
    }),

    /** Who led or co-leads a group, from when until when, oldest first. */
    assignmentsOfGroup: new DataLoader((ids: readonly string[]) => assignmentsBy(em, 'group_id', ids)),

    /** The groups a therapist led or co-led, from when until when, oldest first. */
    assignmentsOfTherapist: new DataLoader((ids: readonly string[]) => assignmentsBy(em, 'therapist_id', ids)),

    /** A group's sessions in order. */
    sessionsOfGroup: new DataLoader(async (ids: readonly string[]) => {
      const found = await viewsWhere(em, SessionEntity, sql`where group_id = any(${ids}::uuid[]) order by position`);
      return grouped(ids, found, (s) => s.group.id);
    }),
  };
}

declare module '../../graphql/context.js' {
  interface Loaders extends ReturnType<typeof groupLoaders> {}
}
