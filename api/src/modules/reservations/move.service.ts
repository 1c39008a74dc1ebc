import { noteChange } from '../../authz/staff-actions.js';
import { newId } from '../../db/ids.js';
import { pooledSql, sql } from '../../db/sql.js';
import type { Context } from '../../graphql/context.js';
import { refuse, UserErrorCode, validateInput } from '../../graphql/user-errors.js';
import { type MoveReservationInput, moveReservationSchema } from './reservation.inputs.js';
import { callSeatFunction, type SeatResult } from './seat-transaction.js';

/**
 * `moveReservation` (admins): in one call holding both groups' locks (`move_reservation_v1`), the
 * member gets a seat in the new group (or its waitlist), the old reservation ends as MOVED, linked
 * to the new one, and its seat goes to the old group's waitlist. Either all of it happens or none.
 */
export async function moveReservation(ctx: Context, input: MoveReservationInput): Promise<SeatResult> {
  const data = validateInput(moveReservationSchema, input);
  const [found] = await pooledSql(ctx.em).query<{ id: string; group_id: string; member_id: string }>(
    sql`select id, group_id, member_id from reservation where id = ${data.reservationId}`,
  );
  if (!found) return refuse(UserErrorCode.NOT_FOUND, ['input', 'reservationId'], 'No reservation with this ID.');
  if (found.group_id === data.toGroupId)
    refuse(UserErrorCode.INVALID_STATE, ['input', 'toGroupId'], 'The reservation is already in this group.');
  const op = {
    operation: 'moveReservation',
    idempotencyKey: data.idempotencyKey,
    input: { reservationId: found.id, toGroupId: data.toGroupId },
  };
  const result = await callSeatFunction(
    ctx,
    op,
    ({ caller, key, hash }) =>
      sql`select move_reservation_v1(${caller}, ${key}, ${hash}, ${found.id}::uuid, ${found.group_id}::uuid, ${data.toGroupId}::uuid, ${found.member_id}::uuid, ${newId()}::uuid) as answer`,
  );
  if (result.userErrors.length === 0)
    noteChange({ type: 'Reservation', id: found.id, after: { status: 'MOVED' }, groupId: found.group_id });
  return result;
}
