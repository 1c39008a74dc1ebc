import { Arg, Authorized, Ctx, FieldResolver, Int, Mutation, Resolver, Root } from 'type-graphql';
import { type View, viewsOf } from '../../db/views.js';
import { type Context, forgetCachedLoads } from '../../graphql/context.js';
import { loadIfVisible } from '../../graphql/node.js';
import { INPUT, mutate } from '../../graphql/payload.js';
import { Member, type MemberEntity } from '../members/index.js';
import { moveReservation } from './move.service.js';
import { cancelReservation, removeReservation } from './release.service.js';
import { ReservationEntity, ReservationStatus } from './reservation.entity.js';
import { CancelReservationInput, MoveReservationInput, RemoveReservationInput, ReserveSeatInput } from './reservation.inputs.js';
import { visibleReservations, waitlistPosition } from './reservation.service.js';
import { Reservation, ReservationEvent, ReservationPayload } from './reservation.types.js';
import { reserveSeat } from './reserve.service.js';
import type { SeatResult } from './seat-transaction.js';

/**
 * Shapes a seat result as a payload: the reservation as the transaction left it (its `returning`
 * row, no second read) or, for an idempotent replay, loaded fresh; or the refusal.
 */
function respond(ctx: Context, run: () => Promise<SeatResult>) {
  return mutate(async () => {
    const result = await run();
    forgetCachedLoads(ctx.loaders);
    let reservation: View<ReservationEntity> | null = null;
    if (result.row) {
      reservation = viewsOf(ctx.em, ReservationEntity, [result.row])[0]!;
      ctx.loaders.reservation.prime(reservation.id, reservation);
    } else if (result.objectId) reservation = await ctx.loaders.reservation.load(result.objectId);
    return { reservation, userErrors: result.userErrors };
  });
}

@Resolver(() => Reservation)
export class ReservationResolver {
  @FieldResolver(() => Member, { description: 'The member holding the reservation.' })
  member(@Root() reservation: View<ReservationEntity>, @Ctx() ctx: Context) {
    return ctx.loaders.member.load(reservation.member.id);
  }

  // Only a live hold has an expiry: a hold that was cancelled, removed or moved keeps its old
  // `expires_at` row value, which must not read as "seat kept until".
  @FieldResolver(() => Date, { nullable: true })
  expiresAt(@Root() reservation: View<ReservationEntity>) {
    return reservation.status === ReservationStatus.HELD ? (reservation.expiresAt ?? null) : null;
  }

  @FieldResolver(() => Reservation, {
    nullable: true,
    description:
      'For a MOVED reservation: the reservation it became in the other group (null when you may not see that one, and for any other status).',
  })
  movedTo(@Root() reservation: View<ReservationEntity>, @Ctx() ctx: Context) {
    return reservation.movedToId ? loadIfVisible(ctx, 'Reservation', reservation.movedToId) : null;
  }

  @FieldResolver(() => Int, { nullable: true })
  waitlistPosition(@Root() reservation: View<ReservationEntity>, @Ctx() ctx: Context) {
    return waitlistPosition(ctx, reservation);
  }

  @FieldResolver(() => Boolean, {
    description:
      "True when the member has not signed the latest version of the group's required agreement that requires signing (e.g. after a new version was published).",
  })
  needsSignature(@Root() reservation: View<ReservationEntity>, @Ctx() ctx: Context) {
    return ctx.loaders.needsSignature.load(reservation.id);
  }

  @FieldResolver(() => [ReservationEvent], { description: 'Every status change, oldest first.' })
  history(@Root() reservation: View<ReservationEntity>, @Ctx() ctx: Context) {
    return ctx.loaders.historyOfReservation.load(reservation.id);
  }

  @Authorized('MEMBER', 'PARTNER', 'ADMIN')
  @Mutation(() => ReservationPayload, {
    description:
      'Reserves a seat: CONFIRMED when the member has signed the required agreement, HELD (until `expiresAt`) otherwise, or a waitlist place when the group is full. A member for itself, a partner for its members, an admin for anyone.',
  })
  reserveSeat(@Arg('input', () => ReserveSeatInput, INPUT) input: ReserveSeatInput, @Ctx() ctx: Context) {
    return respond(ctx, () => reserveSeat(ctx, input));
  }

  @Authorized('MEMBER', 'PARTNER', 'ADMIN')
  @Mutation(() => ReservationPayload, {
    description: 'Cancels a reservation (the member, its partner or an admin); its seat goes to the first waitlisted member at once.',
  })
  cancelReservation(@Arg('input', () => CancelReservationInput, INPUT) input: CancelReservationInput, @Ctx() ctx: Context) {
    return respond(ctx, () => cancelReservation(ctx, input));
  }

  @Authorized('ADMIN', 'THERAPIST')
  @Mutation(() => ReservationPayload, { description: 'Removes a reservation with a reason: an admin or a therapist of the group.' })
  removeReservation(@Arg('input', () => RemoveReservationInput, INPUT) input: RemoveReservationInput, @Ctx() ctx: Context) {
    return respond(ctx, () => removeReservation(ctx, input));
  }

  @Authorized('ADMIN')
  @Mutation(() => ReservationPayload, {
    description:
      'Moves a reservation to another group atomically: a seat there (or its waitlist), the old seat freed and promoted. Admins only.',
  })
  moveReservation(@Arg('input', () => MoveReservationInput, INPUT) input: MoveReservationInput, @Ctx() ctx: Context) {
    return respond(ctx, () => moveReservation(ctx, input));
  }
}

@Resolver(() => Member)
export class MemberReservationsResolver {
  @FieldResolver(() => [Reservation], {
    description: "The member's reservations you may see, newest first (a therapist sees those in its own groups).",
  })
  reservations(@Root() member: View<MemberEntity>, @Ctx() ctx: Context) {
    return visibleReservations(ctx, member.id);
  }
}
