import { Field, ID, InputType } from 'type-graphql';
import { z } from 'zod';
import { globalId, requiredText } from '../../graphql/validators.js';

const IDEMPOTENCY_NOTE =
  'Optional key (1–200 characters) making a retry safe: the same key from the same caller returns the first result for at least 24 hours; the same key with a different input is refused with IDEMPOTENCY_KEY_REUSED.';

export const idempotencyKey = requiredText(200).optional().nullable();

@InputType({ description: 'A seat for a member in a group: a free seat (CONFIRMED, or HELD until signed) or a waitlist place.' })
export class ReserveSeatInput {
  @Field(() => ID, { description: 'The group.' }) groupId!: string;
  @Field(() => ID, { nullable: true, description: 'The member. Required for partners and admins; a member reserves for itself.' })
  memberId?: string;
  @Field({ nullable: true, description: IDEMPOTENCY_NOTE }) idempotencyKey?: string;
}

export const reserveSeatSchema = z.object({
  groupId: globalId('Group'),
  memberId: globalId('Member').optional().nullable(),
  idempotencyKey,
});

@InputType({ description: 'The reservation to cancel (its seat goes to the first waitlisted member).' })
export class CancelReservationInput {
  @Field(() => ID, { description: 'The reservation.' }) reservationId!: string;
  @Field({ nullable: true, description: IDEMPOTENCY_NOTE }) idempotencyKey?: string;
}

export const cancelReservationSchema = z.object({ reservationId: globalId('Reservation'), idempotencyKey });

@InputType({ description: 'A reservation to remove from its group, and why.' })
export class RemoveReservationInput {
  @Field(() => ID, { description: 'The reservation.' }) reservationId!: string;
  @Field({ description: 'Why (kept with the reservation; shown to the member and partner).' }) reason!: string;
  @Field({ nullable: true, description: IDEMPOTENCY_NOTE }) idempotencyKey?: string;
}

export const removeReservationSchema = z.object({ reservationId: globalId('Reservation'), reason: requiredText(1000), idempotencyKey });

@InputType({ description: 'Moves a reservation to another group: a seat there (or its waitlist), and the old seat freed.' })
export class MoveReservationInput {
  @Field(() => ID, { description: 'The reservation to move.' }) reservationId!: string;
  @Field(() => ID, { description: 'The group to move it to.' }) toGroupId!: string;
  @Field({ nullable: true, description: IDEMPOTENCY_NOTE }) idempotencyKey?: string;
}

export const moveReservationSchema = z.object({ reservationId: globalId('Reservation'), toGroupId: globalId('Group'), idempotencyKey });
