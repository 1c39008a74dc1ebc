import { Field, ID, Int, ObjectType, registerEnumType } from 'type-graphql';
import { connectionOf } from '../../graphql/connection.js';
import { Node } from '../../graphql/node.js';
import { payloadType } from '../../graphql/payload.js';
import { ReservationStatus } from './reservation.entity.js';

registerEnumType(ReservationStatus, {
  name: 'ReservationStatus',
  description: 'Where a reservation stands.',
  valuesConfig: {
    HELD: { description: 'A seat is kept until `expiresAt` while the member signs the required agreement.' },
    CONFIRMED: { description: 'The member has a seat.' },
    WAITLISTED: { description: 'No seat yet; first come, first served (see `waitlistPosition`).' },
    CANCELLED: { description: 'Cancelled by the member, their partner, an admin, or because the group was cancelled.' },
    EXPIRED: { description: 'A hold ran out before the agreement was signed.' },
    REMOVED: { description: "Removed by an admin or the group's therapist, with a reason." },
    MOVED: { description: 'Moved by an admin to another group: `movedTo` is the reservation it became there.' },
  },
});

@ObjectType('Reservation', { implements: Node, description: "A member's seat, hold or waitlist place in a group." })
export class Reservation {
  @Field(() => ID, { description: 'Global ID.' }) id!: string;
  @Field(() => ReservationStatus, { description: 'Current status.' }) status!: ReservationStatus;
  @Field(() => Date, { nullable: true, description: 'For a HELD reservation: when the seat is released unless the agreement is signed.' })
  expiresAt!: Date | null;
  @Field({
    description:
      "When the reservation's row was written (the start of the request's transaction). For the order in which places were given, use `acceptedAt`.",
  })
  createdAt!: Date;
  @Field({
    description:
      "When the seat decision was made, under the group's lock: in one group, seats and waitlist places were given in `acceptedAt` order, and a waitlisted reservation's position is its rank by it. Never changes.",
  })
  acceptedAt!: Date;
  @Field(() => Date, {
    nullable: true,
    description: 'When a free seat went to it from the waitlist; null if it never waited or still waits.',
  })
  promotedAt!: Date | null;
  @Field(() => Date, { nullable: true, description: 'When it was cancelled, expired, removed or moved.' }) endedAt!: Date | null;
  @Field(() => String, {
    nullable: true,
    description: 'Who ended it: MEMBER, PARTNER, ADMIN, THERAPIST or SYSTEM (expiry, group cancelled).',
  })
  endedBy!: string | null;
  @Field(() => Boolean, { nullable: true, description: "For a cancellation: whether it came inside the group's cancellation window." })
  cancelledLate!: boolean | null;
  @Field(() => String, { nullable: true, description: 'For a removal: the reason given.' }) removalReason!: string | null;
  @Field(() => Int, { nullable: true, description: 'For a WAITLISTED reservation: 1 for the next member to get a seat.' })
  waitlistPosition!: number | null;
}

export const ReservationConnection = connectionOf(Reservation, 'Reservation', 'reservation');

@ObjectType('ReservationEvent', { description: "One change of a reservation's status, in the order they happened." })
export class ReservationEvent {
  @Field(() => ReservationStatus, { nullable: true, description: 'Status before; null when the reservation was created.' })
  fromStatus!: ReservationStatus | null;
  @Field(() => ReservationStatus, { description: 'Status after.' }) toStatus!: ReservationStatus;
  @Field({ description: 'When it changed.' }) at!: Date;
  @Field({ description: 'Who changed it: MEMBER, PARTNER, ADMIN, THERAPIST or SYSTEM (holds expiring, waitlist promotion by the system).' })
  actorKind!: string;
  @Field(() => String, { nullable: true, description: 'Why, when one was given (a removal reason, "hold expired", a group cancellation).' })
  reason!: string | null;
}

export const ReservationPayload = payloadType('ReservationPayload', 'Result of a mutation that creates or changes a reservation.', {
  reservation: {
    type: () => Reservation,
    description: 'The reservation: the new one (reserveSeat, moveReservation) or the one changed. Null when refused.',
  },
});
