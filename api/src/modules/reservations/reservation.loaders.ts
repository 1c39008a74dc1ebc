import type { EntityManager } from '@mikro-orm/postgresql';
import DataLoader from 'dataloader';
import { sql } from '../../db/sql.js';
import { grouped, rows, viewById, viewsWhere } from '../../db/view-loaders.js';
import { ReservationEntity, type ReservationStatus } from './reservation.entity.js';

/** One change of a reservation's status (the `reservation_event` history the trigger writes). */
export interface ReservationEventRow {
  fromStatus: ReservationStatus | null;
  toStatus: ReservationStatus;
  at: Date;
  actorKind: string;
  reason: string | null;
}

/** Batch loaders of the reservations module (per request; see app/loaders.ts). */
export function reservationLoaders(em: EntityManager) {
  return {
    reservation: viewById(em, ReservationEntity),

    reservationsOfMember: new DataLoader(async (ids: readonly string[]) => {
      const found = await viewsWhere(em, ReservationEntity, sql`where member_id = any(${ids}::uuid[]) order by created_at desc, id desc`);
      return grouped(ids, found, (r) => r.member.id);
    }),

    /** Whether each reservation's member still has to sign its group's required agreement (key: reservation id). */
    needsSignature: new DataLoader<string, boolean>(async (ids) => {
      const found = await rows(
        em,
        sql`select r.id, not member_has_signed(r.member_id, p.required_agreement_id) as needs
           from reservation r join therapy_group g on g.id = r.group_id join program p on p.id = g.program_id
          where r.id = any(${ids}::uuid[])`,
      );
      const needs = new Map(found.map((r) => [r.id as string, r.needs as boolean]));
      return ids.map((id) => needs.get(id) ?? false);
    }),

    historyOfReservation: new DataLoader<string, ReservationEventRow[]>(async (ids) => {
      const found = await rows(
        em,
        sql`select reservation_id, from_status, to_status, at, split_part(actor, ':', 1) as actor_kind, reason
           from reservation_event where reservation_id = any(${ids}::uuid[]) order by id`,
      );
      return grouped(ids, found, (r) => r.reservation_id as string).map((list) =>
        list.map((r) => ({
          fromStatus: (r.from_status as ReservationEventRow['fromStatus']) ?? null,
          toStatus: r.to_status as ReservationEventRow['toStatus'],
          at: new Date(r.at as string),
          actorKind: r.actor_kind as string,
          reason: (r.reason as string | null) ?? null,
        })),
      );
    }),

    /** 1-based waitlist position of WAITLISTED reservations (key: reservation id). */
    waitlistPosition: new DataLoader<string, number | null>(async (ids) => {
      const found = await rows(
        em,
        sql`select id, position from (
           select id, row_number() over (partition by group_id order by waitlist_seq)::int as position
             from reservation
            where status = 'WAITLISTED' and group_id in (select group_id from reservation where id = any(${ids}::uuid[]))
         ) w where id = any(${ids}::uuid[])`,
      );
      const positions = new Map(found.map((r) => [r.id as string, r.position as number]));
      return ids.map((id) => positions.get(id) ?? null);
    }),
  };
}

declare module '../../graphql/context.js' {
  interface Loaders extends ReturnType<typeof reservationLoaders> {}
}
