import { Field, ID, Int, ObjectType, registerEnumType } from 'type-graphql';
import { connectionOf } from '../../graphql/connection.js';
import { Node } from '../../graphql/node.js';
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
  },
});

@ObjectType('Reservation', { implements: Node, description: "A member's seat, hold or waitlist place in a group." })
export class Reservation {
  @Field(() => ID, { description: 'Global ID.' }) id!: string;
  @Field(() => ReservationStatus, { description: 'Current status.' }) status!: ReservationStatus;
  @Field(() => Date, { nullable: true, description: 'For a HELD reservation: when the seat is released unless the agreement is signed.' })
  expiresAt!: Date | null;
  @Field({ description: 'When the database accepted the reservation.' }) createdAt!: Date;
  @Field(() => Date, { nullable: true, description: 'When it was cancelled, expired or removed.' }) endedAt!: Date | null;
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
