import type { Context } from '../../graphql/context.js';
import { newId as newReservationId } from '../../db/ids.js';
import { sql, type SqlClient } from '../../db/sql.js';
import { refuse, UserErrorCode, validateInput } from '../../graphql/user-errors.js';
import { actingMember } from '../members/index.js';
import { type ReserveSeatInput, reserveSeatSchema } from './reservation.inputs.js';
import { type LockedGroup, RESERVATION_COLUMNS, type ReservationRow, runSeatTransaction, type SeatResult } from './seat-transaction.js';

/** Whether a group takes reservations now: OPEN, or a rolling group in progress, before its deadline. */
export function checkTakesReservations(group: LockedGroup, isAdmin: boolean): void {
  if (group.status === 'DRAFT' && !isAdmin) refuse(UserErrorCode.NOT_FOUND, ['input', 'groupId'], 'No group with this ID.');
  const open = group.status === 'OPEN' || (group.status === 'IN_PROGRESS' && group.type === 'OPEN');
  if (!open) refuse(UserErrorCode.GROUP_NOT_OPEN, ['input', 'groupId'], 'This group does not take reservations.');
  if (group.enrolmentDeadline && group.enrolmentDeadline.getTime() <= Date.now()) {
    refuse(UserErrorCode.ENROLMENT_CLOSED, ['input', 'groupId'], 'Enrolment for this group has closed.');
  }
}

/**
 * Places a member in a locked group (rule 3): a free seat — CONFIRMED if signed, HELD otherwise —
 * or the end of the waitlist. Returns the new reservation's row. One statement under the lock when
 * lockGroups already read the member's place (`memberId`), two otherwise.
 */
export async function placeMember(tx: SqlClient, group: LockedGroup, memberId: string, field: string[]): Promise<ReservationRow> {
  const check =
    group.member?.id === memberId
      ? group.member
      : (
          await tx.query<{
            active: boolean;
            signed: boolean;
          }>(sql`select exists (select 1 from reservation where group_id = ${group.id} and member_id = ${memberId} and status in ('HELD', 'CONFIRMED', 'WAITLISTED')) as active,
                    member_has_signed(${memberId}::uuid, ${group.agreementId}::uuid) as signed`)
        )[0];
  if (check!.active) refuse(UserErrorCode.ALREADY_RESERVED, field, 'The member already has a seat or a waitlist place in this group.');
  const status = group.seatsTaken < group.capacity ? (check!.signed ? 'CONFIRMED' : 'HELD') : 'WAITLISTED';
  const [row] =
    await tx.query<ReservationRow>(sql`insert into reservation as r (id, group_id, member_id, status, expires_at, waitlist_seq, created_at, updated_at)
     values (${newReservationId()}, ${group.id}, ${memberId}, ${status}::reservation_status, case when ${status}::text = 'HELD' then now() + make_interval(mins => ${group.holdMinutes}::int) end,
             case when ${status}::text = 'WAITLISTED' then nextval('reservation_waitlist_seq') end, now(), now())
     returning ${RESERVATION_COLUMNS}`);
  if (group.member?.id === memberId) group.member.active = true;
  if (status === 'WAITLISTED') group.waitlisted += 1;
  else group.seatsTaken += 1;
  return row!;
}

/** `reserveSeat`: a member for itself, a partner for its member, an admin for anyone. */
export async function reserveSeat(ctx: Context, input: ReserveSeatInput): Promise<SeatResult> {
  const data = validateInput(reserveSeatSchema, input);
  const member = await actingMember(ctx, data.memberId, { allowAdmin: true });
  return runSeatTransaction(
    ctx,
    {
      operation: 'reserveSeat',
      groupIds: [data.groupId],
      idempotencyKey: data.idempotencyKey,
      input: { groupId: data.groupId, memberId: member.id },
      memberId: member.id,
    },
    async (tx, groups) => {
      const group = groups.get(data.groupId) ?? refuse(UserErrorCode.NOT_FOUND, ['input', 'groupId'], 'No group with this ID.');
      checkTakesReservations(group, ctx.viewer.kind === 'ADMIN');
      return placeMember(tx, group, member.id, ['input', 'groupId']);
    },
  );
}
