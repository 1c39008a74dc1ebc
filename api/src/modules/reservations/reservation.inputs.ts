import { z } from 'zod';
import { inputType } from '../../graphql/input-type.js';
import { globalId, requiredText } from '../../graphql/validators.js';

const IDEMPOTENCY_NOTE =
  'Optional key making a retry safe: the same key from the same caller returns the first result for at least 24 hours; the same key with a different input is refused with IDEMPOTENCY_KEY_REUSED.';

const idempotencyKey = requiredText(200).optional().nullable();

export const reserveSeatSchema = z.object({
  groupId: globalId('Group'),
  memberId: globalId('Member').optional().nullable(),
  idempotencyKey,
});
export const ReserveSeatInput = inputType(
  'ReserveSeatInput',
  'A seat for a member in a group: a free seat (CONFIRMED, or HELD until signed) or a waitlist place.',
  reserveSeatSchema,
  {
    groupId: 'The group.',
    memberId: 'The member. Required for partners and admins; a member reserves for itself.',
    idempotencyKey: IDEMPOTENCY_NOTE,
  },
);
export type ReserveSeatInput = z.input<typeof reserveSeatSchema>;

export const cancelReservationSchema = z.object({ reservationId: globalId('Reservation'), idempotencyKey });
export const CancelReservationInput = inputType(
  'CancelReservationInput',
  'The reservation to cancel (its seat goes to the first waitlisted member).',
  cancelReservationSchema,
  { reservationId: 'The reservation.', idempotencyKey: IDEMPOTENCY_NOTE },
);
export type CancelReservationInput = z.input<typeof cancelReservationSchema>;

export const removeReservationSchema = z.object({ reservationId: globalId('Reservation'), reason: requiredText(1000), idempotencyKey });
export const RemoveReservationInput = inputType(
  'RemoveReservationInput',
  'A reservation to remove from its group, and why.',
  removeReservationSchema,
  {
    reservationId: 'The reservation.',
    reason: 'Why (kept with the reservation; shown to the member and partner).',
    idempotencyKey: IDEMPOTENCY_NOTE,
  },
);
export type RemoveReservationInput = z.input<typeof removeReservationSchema>;

export const moveReservationSchema = z.object({ reservationId: globalId('Reservation'), toGroupId: globalId('Group'), idempotencyKey });
export const MoveReservationInput = inputType(
  'MoveReservationInput',
  'Moves a reservation to another group: a seat there (or its waitlist), and the old seat freed.',
  moveReservationSchema,
  { reservationId: 'The reservation to move.', toGroupId: 'The group to move it to.', idempotencyKey: IDEMPOTENCY_NOTE },
);
export type MoveReservationInput = z.input<typeof moveReservationSchema>;
