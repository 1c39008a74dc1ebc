import { Ctx, FieldResolver, Int, Resolver, Root } from 'type-graphql';
import type { Context } from '../../context.js';
import { Group } from '../groups/group.types.js';
import { Member } from '../members/member.types.js';
import type { ReservationEntity } from './reservation.entity.js';
import { waitlistPosition } from './reservation.service.js';
import { Reservation } from './reservation.types.js';

@Resolver(() => Reservation)
export class ReservationResolver {
  @FieldResolver(() => Group, { description: 'The group.' })
  group(@Root() reservation: ReservationEntity, @Ctx() ctx: Context) {
    return ctx.loaders.group.load(reservation.group.id);
  }

  @FieldResolver(() => Member, { description: 'The member holding the reservation.' })
  member(@Root() reservation: ReservationEntity, @Ctx() ctx: Context) {
    return ctx.loaders.member.load(reservation.member.id);
  }

  @FieldResolver(() => Int, { nullable: true })
  waitlistPosition(@Root() reservation: ReservationEntity, @Ctx() ctx: Context) {
    return waitlistPosition(ctx, reservation);
  }
}
