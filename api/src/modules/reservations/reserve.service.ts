import { newId } from '../../db/ids.js';
import { sql } from '../../db/sql.js';
import type { Context } from '../../graphql/context.js';
import { validateInput } from '../../graphql/user-errors.js';
import { actingMember } from '../members/index.js';
import { type ReserveSeatInput, reserveSeatSchema } from './reservation.inputs.js';
import { callSeatFunction, type SeatResult } from './seat-transaction.js';

/**
 * `reserveSeat`: a member for itself, a partner for its member, an admin for anyone (an admin also
 * reserves in a draft group). Rule 3 in `reserve_seat_v1`: a free seat — CONFIRMED if signed, HELD
 * otherwise — or the end of the waitlist.
 */
export async function reserveSeat(ctx: Context, input: ReserveSeatInput): Promise<SeatResult> {
  const data = validateInput(reserveSeatSchema, input);
  const member = await actingMember(ctx, data.memberId, { allowAdmin: true });
  const op = { operation: 'reserveSeat', idempotencyKey: data.idempotencyKey, input: { groupId: data.groupId, memberId: member.id } };
  return callSeatFunction(
    ctx,
    op,
    ({ caller, key, hash }) =>
      sql`select reserve_seat_v1(${caller}, ${key}, ${hash}, ${data.groupId}::uuid, ${member.id}::uuid, ${newId()}::uuid, ${ctx.viewer.kind === 'ADMIN'}) as answer`,
  );
}
