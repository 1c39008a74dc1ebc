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
import { callSeatFunction, type SeatResult } from './seat-transaction.js';

interface FoundReservation {
  id: string;
  group_id: string;
  member_id: string;
  status: string;
  partner_id: string | null;
}

/** Looks a reservation up (outside the lock) to decide who may end it and which group to lock. */
async function findReservation(ctx: Context, id: string): Promise<FoundReservation | null> {
  const [row] = await pooledSql(ctx.em).query<FoundReservation>(
    sql`select r.id, r.group_id, r.member_id, r.status, m.partner_id from reservation r join member m on m.id = r.member_id where r.id = ${id}`,
  );
  return row ?? null;
}

/**
 * Ends an active reservation of a group the transaction has locked (`runSeatTransaction`), and gives a
 * freed seat to the waitlist (`seat_end_v1`). Returns false when it was no longer active.
 */
export async function endReservation(
  tx: SqlClient,
  groupId: string,
  reservationId: string,
  end: { status: 'CANCELLED'; endedBy: string; reason: string },
): Promise<boolean> {
  const [row] = await tx.query<{ ended: unknown }>(
    sql`select seat_end_v1(${reservationId}::uuid, ${groupId}::uuid, ${end.status}, ${end.endedBy}, null, ${end.reason}, null) as ended`,
  );
  return row?.ended != null;
}

/** `cancelReservation`: the member, its partner or an admin; records who and whether it was late. */
export async function cancelReservation(ctx: Context, input: CancelReservationInput): Promise<SeatResult> {
  const data = validateInput(cancelReservationSchema, input);
  const { viewer } = ctx;
  const found = await findReservation(ctx, data.reservationId);
  const allowed = found && (isAdmin(viewer) || isSelf(viewer, found.member_id) || isReferringPartner(viewer, found.partner_id));
  if (!found || !allowed) return refuse(UserErrorCode.NOT_FOUND, ['input', 'reservationId'], 'No reservation with this ID.');
  const op = { operation: 'cancelReservation', idempotencyKey: data.idempotencyKey, input: { reservationId: found.id } };
  return callSeatFunction(
    ctx,
    op,
    ({ caller, key, hash }) =>
      sql`select end_reservation_v1(${caller}, ${key}, ${op.operation}, ${hash}, ${found.id}::uuid, ${found.group_id}::uuid, 'CANCELLED', ${viewer.kind}, null) as answer`,
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
  const op = {
    operation: 'removeReservation',
    idempotencyKey: data.idempotencyKey,
    input: { reservationId: found.id, reason: data.reason },
  };
  return callSeatFunction(
    ctx,
    op,
    ({ caller, key, hash }) =>
      sql`select end_reservation_v1(${caller}, ${key}, ${op.operation}, ${hash}, ${found.id}::uuid, ${found.group_id}::uuid, 'REMOVED', ${ctx.viewer.kind}, ${data.reason}) as answer`,
  );
}
