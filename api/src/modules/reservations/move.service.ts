import { noteChange } from '../../authz/staff-actions.js';
import { pooledSql, sql } from '../../db/sql.js';
import type { Context } from '../../graphql/context.js';
import { refuse, UserErrorCode, validateInput } from '../../graphql/user-errors.js';
import { endReservation } from './release.service.js';
import { type MoveReservationInput, moveReservationSchema } from './reservation.inputs.js';
import { checkTakesReservations, placeMember } from './reserve.service.js';
import { runSeatTransaction, type SeatResult } from './seat-transaction.js';

/**
 * `moveReservation` (admins): in one transaction holding both groups' locks, the member gets a
 * seat in the new group (or its waitlist), the old reservation ends as MOVED, linked to the new one, and its seat goes to the
 * old group's waitlist. Either all of it happens or none.
 */
export async function moveReservation(ctx: Context, input: MoveReservationInput): Promise<SeatResult> {
  const data = validateInput(moveReservationSchema, input);
  const [found] = await pooledSql(ctx.em).query<{ id: string; group_id: string; member_id: string }>(
    sql`select id, group_id, member_id from reservation where id = ${data.reservationId}`,
  );
  if (!found) return refuse(UserErrorCode.NOT_FOUND, ['input', 'reservationId'], 'No reservation with this ID.');
  if (found.group_id === data.toGroupId)
    refuse(UserErrorCode.INVALID_STATE, ['input', 'toGroupId'], 'The reservation is already in this group.');
  const result = await runSeatTransaction(
    ctx,
    {
      operation: 'moveReservation',
      groupIds: [found.group_id, data.toGroupId],
      idempotencyKey: data.idempotencyKey,
      input: { reservationId: found.id, toGroupId: data.toGroupId },
      reason: 'moved to another group',
      memberId: found.member_id,
    },
    async (tx, groups) => {
      const target = groups.get(data.toGroupId) ?? refuse(UserErrorCode.NOT_FOUND, ['input', 'toGroupId'], 'No group with this ID.');
      checkTakesReservations(target, true);
      const placed = await placeMember(tx, target, found.member_id, ['input', 'toGroupId']);
      await endReservation(tx, groups.get(found.group_id)!, found.id, {
        status: 'MOVED',
        endedBy: 'ADMIN',
        late: null,
        reason: 'Moved by an admin to another group.',
        movedTo: placed.id,
      });
      return placed;
    },
  );
  if (result.userErrors.length === 0)
    noteChange({ type: 'Reservation', id: found.id, after: { status: 'MOVED' }, groupId: found.group_id });
  return result;
}
