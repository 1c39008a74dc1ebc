import { isAdmin, isGroupTherapist, isReferringPartner, isSelf } from '../../authz/rules.js';
import type { Context } from '../../graphql/context.js';
import { pooledSql, sql, type SqlClient } from '../../db/sql.js';
import { refuse, UserErrorCode, validateInput } from '../../graphql/user-errors.js';
import {
  type CancelReservationInput,
  cancelReservationSchema,
  type RemoveReservationInput,
  removeReservationSchema,
} from './reservation.inputs.js';
import { isLateCancellation } from './seat-rules.js';
import {
  fillFreeSeats,
  type LockedGroup,
  RESERVATION_COLUMNS,
  type ReservationRow,
  runSeatTransaction,
  type SeatResult,
} from './seat-transaction.js';

interface FoundReservation {
  id: string;
  group_id: string;
  member_id: string;
  status: string;
  partner_id: string | null;
}

/** Looks a reservation up (outside the lock) to know which group to lock. */
async function findReservation(ctx: Context, id: string): Promise<FoundReservation | null> {
  const [row] = await pooledSql(ctx.em).query<FoundReservation>(
    sql`select r.id, r.group_id, r.member_id, r.status, m.partner_id from reservation r join member m on m.id = r.member_id where r.id = ${id}`,
  );
  return row ?? null;
}

/**
 * Ends an active reservation under its group's lock and gives a freed seat to the waitlist.
 * Leaving a waitlist is never "late": no seat was given up. Returns the ended reservation's row.
 */
export async function endReservation(
  tx: SqlClient,
  group: LockedGroup,
  reservationId: string,
  end: { status: 'CANCELLED' | 'REMOVED' | 'MOVED'; endedBy: string; late: boolean | null; reason: string | null; movedTo?: string },
): Promise<ReservationRow> {
  const [row] = await tx.query<
    ReservationRow & { previous: string }
  >(sql`with prev as (select id, status from reservation where id = ${reservationId} for update)
     update reservation r
        set status = ${end.status}::reservation_status, ended_at = now(), ended_by = ${end.endedBy}, expires_at = null, removal_reason = ${end.reason}, moved_to_id = ${end.movedTo ?? null}::uuid, updated_at = now(),
            cancelled_late = case when prev.status = 'WAITLISTED' and ${end.late}::boolean is not null then false else ${end.late}::boolean end
       from prev
      where r.id = prev.id and prev.status in ('HELD', 'CONFIRMED', 'WAITLISTED')
     returning ${RESERVATION_COLUMNS}, prev.status as previous`);
  if (!row) return refuse(UserErrorCode.RESERVATION_NOT_ACTIVE, ['input', 'reservationId'], 'This reservation is no longer active.');
  // `previous` stays on the row (the payload's view ignores it): the staff action log records it.
  if (row.previous === 'WAITLISTED') group.waitlisted -= 1;
  else group.seatsTaken -= 1;
  await fillFreeSeats(tx, group);
  return row;
}

/** `cancelReservation`: the member, its partner or an admin; records who and whether it was late. */
export async function cancelReservation(ctx: Context, input: CancelReservationInput): Promise<SeatResult> {
  const data = validateInput(cancelReservationSchema, input);
  const { viewer } = ctx;
  const found = await findReservation(ctx, data.reservationId);
  const allowed = found && (isAdmin(viewer) || isSelf(viewer, found.member_id) || isReferringPartner(viewer, found.partner_id));
  if (!found || !allowed) return refuse(UserErrorCode.NOT_FOUND, ['input', 'reservationId'], 'No reservation with this ID.');
  return runSeatTransaction(
    ctx,
    {
      operation: 'cancelReservation',
      groupIds: [found.group_id],
      idempotencyKey: data.idempotencyKey,
      input: { reservationId: found.id },
      lateness: true,
    },
    async (tx, groups) => {
      const group = groups.get(found.group_id)!;
      const late = await isLateCancellation(tx, group);
      return endReservation(tx, group, found.id, { status: 'CANCELLED', endedBy: viewer.kind, late, reason: null });
    },
  );
}

/** `removeReservation`: an admin or a therapist of the group, with a reason. */
export async function removeReservation(ctx: Context, input: RemoveReservationInput): Promise<SeatResult> {
  const data = validateInput(removeReservationSchema, input);
  const found = await findReservation(ctx, data.reservationId);
  // @Authorized lets only admins and therapists in; another group's therapist sees NOT_FOUND.
  if (!found || !(isAdmin(ctx.viewer) || (await isGroupTherapist(ctx, found.group_id)))) {
    return refuse(UserErrorCode.NOT_FOUND, ['input', 'reservationId'], 'No reservation with this ID.');
  }
  return runSeatTransaction(
    ctx,
    {
      operation: 'removeReservation',
      groupIds: [found.group_id],
      idempotencyKey: data.idempotencyKey,
      input: { reservationId: found.id, reason: data.reason },
      reason: data.reason,
    },
    async (tx, groups) => {
      return endReservation(tx, groups.get(found.group_id)!, found.id, {
        status: 'REMOVED',
        endedBy: ctx.viewer.kind,
        late: null,
        reason: data.reason,
      });
    },
  );
}
