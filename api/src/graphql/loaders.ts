import type { EntityManager } from '@mikro-orm/postgresql';
import DataLoader from 'dataloader';
import type { Viewer } from '../authz/viewer.js';
import { AgreementEntity, AgreementVersionEntity, SignatureEntity } from '../modules/agreements/agreement.entity.js';
import { GroupEntity } from '../modules/groups/group.entity.js';
import { MemberEntity, MemberIdentityEntity } from '../modules/members/member.entity.js';
import { PartnerEntity } from '../modules/partners/partner.entity.js';
import { ProgramEntity, ProgramModuleEntity } from '../modules/programs/program.entity.js';
import { ReservationEntity } from '../modules/reservations/reservation.entity.js';
import { settleDueGroups } from '../modules/reservations/hold-sweeper.js';
import { pooledSql } from '../db/sql.js';
import { viewColumns, viewsOf, viewTable } from '../db/views.js';
import type { ReservationStatus } from '../modules/reservations/reservation.entity.js';
import { AttendanceEntity, SessionEntity } from '../modules/sessions/session.entity.js';
import { TherapistEntity } from '../modules/therapists/therapist.entity.js';

type Row = Record<string, unknown>;

/** Seats of a group by reservation status, from one GROUP BY over all requested groups. */
export interface SeatCounts {
  held: number;
  confirmed: number;
  waitlisted: number;
}

const EMPTY_SEATS: SeatCounts = { held: 0, confirmed: 0, waitlisted: 0 };

export interface ReservationEventRow {
  fromStatus: ReservationStatus | null;
  toStatus: ReservationStatus;
  at: Date;
  actorKind: string;
  reason: string | null;
}

/**
 * Loaders answer with read-only views (db/views.ts), never managed entities: GraphQL reads do not
 * change what they load, and a view costs a fraction of an entity. A service that needs to change
 * or link what it read loads the entity (or a reference) through its entity manager.
 */
function viewById<E extends { id: string }>(em: EntityManager, entity: new () => E) {
  return new DataLoader<string, E | null>(async (ids) => {
    const rows = await viewsWhere(em, entity, 'where id = any($1::uuid[])', [ids]);
    const map = new Map(rows.map((r) => [r.id, r]));
    return ids.map((id) => map.get(id) ?? null);
  });
}

function grouped<K, V>(keys: readonly K[], rows: V[], keyOf: (row: V) => K): V[][] {
  const map = new Map<K, V[]>();
  for (const row of rows) {
    const key = keyOf(row);
    const list = map.get(key);
    if (list) list.push(row);
    else map.set(key, [row]);
  }
  return keys.map((k) => map.get(k) ?? []);
}

/** Views of `entity` from `select <its columns> from <its table> <rest>` ($n parameters, prepared). */
async function viewsWhere<E>(em: EntityManager, entity: new () => E, rest: string, values: unknown[]): Promise<E[]> {
  const rows = await pooledSql(em).query(`select ${viewColumns(em, entity)} from "${viewTable(em, entity)}" ${rest}`, values);
  return viewsOf(em, entity, rows);
}

/** Views of `entity` from rows that also carry the batch key in `keyColumn`, grouped for `keys`. */
function groupedViews<E>(em: EntityManager, entity: new () => E, keys: readonly string[], rows: Row[], keyColumn: string): E[][] {
  const views = viewsOf(em, entity, rows);
  const keyed = rows.map((row, i) => ({ key: row[keyColumn] as string, view: views[i]! }));
  return grouped(keys, keyed, (r) => r.key).map((list) => list.map((r) => r.view));
}

/** One statement, `$n` parameters, prepared (db/sql.ts). */
function sql(em: EntityManager, query: string, params: unknown[]): Promise<Row[]> {
  return pooledSql(em).query<Row>(query, params);
}

/**
 * Every batch loader of a request. Created per request (never shared), so a cached answer can
 * never cross from one viewer to another.
 */
export function createLoaders(em: EntityManager, viewer: Viewer) {
  return {
    program: viewById(em, ProgramEntity),
    programModule: viewById(em, ProgramModuleEntity),
    agreement: viewById(em, AgreementEntity),
    agreementVersion: viewById(em, AgreementVersionEntity),
    therapist: viewById(em, TherapistEntity),
    partner: viewById(em, PartnerEntity),
    group: viewById(em, GroupEntity),
    member: viewById(em, MemberEntity),
    reservation: viewById(em, ReservationEntity),
    session: viewById(em, SessionEntity),
    signature: viewById(em, SignatureEntity),

    modulesOfProgram: new DataLoader<string, ProgramModuleEntity[]>(async (ids) => {
      const rows = await viewsWhere(em, ProgramModuleEntity, 'where program_id = any($1::uuid[]) order by position', [ids]);
      return grouped(ids, rows, (r) => r.program.id);
    }),

    authorsOfProgram: new DataLoader<string, TherapistEntity[]>(async (ids) => {
      const rows = await sql(
        em,
        `select pa.program_id, ${viewColumns(em, TherapistEntity, 't')}
           from program_author pa join therapist t on t.id = pa.therapist_id
          where pa.program_id = any($1::uuid[]) order by t.display_name, t.id`,
        [ids],
      );
      return groupedViews(em, TherapistEntity, ids, rows, 'program_id');
    }),

    versionsOfAgreement: new DataLoader<string, AgreementVersionEntity[]>(async (ids) => {
      const rows = await viewsWhere(em, AgreementVersionEntity, 'where agreement_id = any($1::uuid[]) order by version desc', [ids]);
      return grouped(ids, rows, (r) => r.agreement.id);
    }),

    coTherapistsOfGroup: new DataLoader<string, TherapistEntity[]>(async (ids) => {
      const rows = await sql(
        em,
        `select gct.group_id, ${viewColumns(em, TherapistEntity, 't')}
           from group_co_therapist gct join therapist t on t.id = gct.therapist_id
          where gct.group_id = any($1::uuid[]) order by t.display_name, t.id`,
        [ids],
      );
      return groupedViews(em, TherapistEntity, ids, rows, 'group_id');
    }),

    /**
     * Seat figures per group in one GROUP BY. Holds past their expiry do not count; when a group
     * has some, its holds are expired and its waitlist promoted right here (under the group's
     * lock, skipped if another transaction holds it) and the group is counted again — seat reads
     * never wait for the sweeper.
     */
    seatsOfGroup: new DataLoader<string, SeatCounts>(async (ids) => {
      const count = (groupIds: readonly string[]) =>
        sql(
          em,
          `select group_id,
                  count(*) filter (where status = 'HELD' and expires_at > now())::int as held,
                  count(*) filter (where status = 'HELD' and expires_at <= now())::int as due,
                  count(*) filter (where status = 'CONFIRMED')::int as confirmed,
                  count(*) filter (where status = 'WAITLISTED')::int as waitlisted
             from reservation
            where group_id = any($1::uuid[]) and status in ('HELD', 'CONFIRMED', 'WAITLISTED')
            group by group_id`,
          [groupIds],
        );
      const rows = new Map((await count(ids)).map((r) => [r.group_id as string, r]));
      const due = [...rows.values()].filter((r) => (r.due as number) > 0).map((r) => r.group_id as string);
      if (due.length > 0) {
        await settleDueGroups(em, due);
        for (const r of await count(due)) rows.set(r.group_id as string, r);
      }
      return ids.map((id) => {
        const r = rows.get(id);
        return r ? { held: r.held as number, confirmed: r.confirmed as number, waitlisted: r.waitlisted as number } : EMPTY_SEATS;
      });
    }),

    /** Whether each reservation's member still has to sign its group's required agreement (key: reservation id). */
    needsSignature: new DataLoader<string, boolean>(async (ids) => {
      const rows = await sql(
        em,
        `select r.id, not member_has_signed(r.member_id, p.required_agreement_id) as needs
           from reservation r join therapy_group g on g.id = r.group_id join program p on p.id = g.program_id
          where r.id = any($1::uuid[])`,
        [ids],
      );
      const map = new Map(rows.map((r) => [r.id as string, r.needs as boolean]));
      return ids.map((id) => map.get(id) ?? false);
    }),

    historyOfReservation: new DataLoader<string, ReservationEventRow[]>(async (ids) => {
      const rows = await sql(
        em,
        `select reservation_id, from_status, to_status, at, split_part(actor, ':', 1) as actor_kind, reason
           from reservation_event where reservation_id = any($1::uuid[]) order by id`,
        [ids],
      );
      return grouped(ids, rows, (r) => r.reservation_id as string).map((list) =>
        list.map((r) => ({
          fromStatus: (r.from_status as ReservationEventRow['fromStatus']) ?? null,
          toStatus: r.to_status as ReservationEventRow['toStatus'],
          at: new Date(r.at as string),
          actorKind: r.actor_kind as string,
          reason: (r.reason as string | null) ?? null,
        })),
      );
    }),

    attendanceOfMember: new DataLoader<string, AttendanceEntity[]>(async (ids) => {
      const rows = await viewsWhere(em, AttendanceEntity, 'where member_id = any($1::uuid[]) order by recorded_at', [ids]);
      return grouped(ids, rows, (r) => r.member.id);
    }),

    attendanceOfSession: new DataLoader<string, AttendanceEntity[]>(async (ids) => {
      const rows = await viewsWhere(em, AttendanceEntity, 'where session_id = any($1::uuid[]) order by recorded_at', [ids]);
      return grouped(ids, rows, (r) => r.session.id);
    }),

    nextSessionOfGroup: new DataLoader<string, SessionEntity | null>(async (ids) => {
      const rows = await sql(
        em,
        `select distinct on (group_id) ${viewColumns(em, SessionEntity)}
           from group_session
          where group_id = any($1::uuid[]) and status = 'SCHEDULED' and starts_at > now()
          order by group_id, starts_at`,
        [ids],
      );
      return groupedViews(em, SessionEntity, ids, rows, 'group_id').map((list) => list[0] ?? null);
    }),

    sessionsOfGroup: new DataLoader<string, SessionEntity[]>(async (ids) => {
      const rows = await viewsWhere(em, SessionEntity, 'where group_id = any($1::uuid[]) order by position', [ids]);
      return grouped(ids, rows, (r) => r.group.id);
    }),

    identityOfMember: new DataLoader<string, MemberIdentityEntity | null>(async (ids) => {
      const rows = await viewsWhere(em, MemberIdentityEntity, 'where member_id = any($1::uuid[])', [ids]);
      const map = new Map(rows.map((r) => [r.member.id, r]));
      return ids.map((id) => map.get(id) ?? null);
    }),

    reservationsOfMember: new DataLoader<string, ReservationEntity[]>(async (ids) => {
      const rows = await viewsWhere(em, ReservationEntity, 'where member_id = any($1::uuid[]) order by created_at desc, id desc', [ids]);
      return grouped(ids, rows, (r) => r.member.id);
    }),

    signaturesOfMember: new DataLoader<string, SignatureEntity[]>(async (ids) => {
      const rows = await viewsWhere(em, SignatureEntity, 'where member_id = any($1::uuid[]) order by signed_at desc, id desc', [ids]);
      return grouped(ids, rows, (r) => r.member.id);
    }),

    /** 1-based waitlist position of WAITLISTED reservations (key: reservation id). */
    waitlistPosition: new DataLoader<string, number | null>(async (ids) => {
      const rows = await sql(
        em,
        `select id, position from (
           select id, row_number() over (partition by group_id order by waitlist_seq)::int as position
             from reservation
            where status = 'WAITLISTED' and group_id in (select group_id from reservation where id = any($1::uuid[]))
         ) w where id = any($1::uuid[])`,
        [ids],
      );
      const map = new Map(rows.map((r) => [r.id as string, r.position as number]));
      return ids.map((id) => map.get(id) ?? null);
    }),

    /** Groups a therapist leads or co-leads (key: therapist id). */
    groupIdsOfTherapist: new DataLoader<string, Set<string>>(async (ids) => {
      const rows = await sql(
        em,
        `select lead_therapist_id as therapist_id, id as group_id from therapy_group where lead_therapist_id = any($1::uuid[])
         union select therapist_id, group_id from group_co_therapist where therapist_id = any($1::uuid[])`,
        [ids],
      );
      return grouped(ids, rows, (r) => r.therapist_id as string).map((list) => new Set(list.map((r) => r.group_id as string)));
    }),

    /** Whether the viewing therapist is assigned to each member (key: member id). */
    assignedToViewer: new DataLoader<string, boolean>(async (memberIds) => {
      if (viewer.kind !== 'THERAPIST') return memberIds.map(() => false);
      const rows = await sql(
        em,
        `select distinct r.member_id
           from reservation r join therapy_group g on g.id = r.group_id
          where r.member_id = any($1::uuid[])
            and (g.lead_therapist_id = $2 or exists (
                  select 1 from group_co_therapist c where c.group_id = g.id and c.therapist_id = $2))`,
        [memberIds, viewer.therapistId],
      );
      const assigned = new Set(rows.map((r) => r.member_id as string));
      return memberIds.map((id) => assigned.has(id));
    }),
  };
}

export type Loaders = ReturnType<typeof createLoaders>;

/**
 * Forgets every answer cached so far in this request. Called after a mutation that changes seats,
 * so later fields and mutations of the same document read the state it left, not the one before.
 */
export function forgetCachedLoads(loaders: Loaders): void {
  for (const loader of Object.values(loaders)) loader.clearAll();
}
