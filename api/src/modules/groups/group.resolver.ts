import { Arg, Args, ArgsType, Authorized, Ctx, Field, FieldResolver, ID, Int, Mutation, Query, Resolver, Root } from 'type-graphql';
import type { View } from '../../db/views.js';
import { PageArgs } from '../../graphql/connection.js';
import { type Context, forgetCachedLoads } from '../../graphql/context.js';
import { parseGlobalId } from '../../graphql/ids.js';
import { loadVisible } from '../../graphql/node.js';
import { INPUT, mutate } from '../../graphql/payload.js';
import { Program } from '../programs/index.js';
import {
  groupReservations,
  groupWaitlist,
  Reservation,
  ReservationConnection,
  type ReservationEntity,
  ReservationStatus,
} from '../reservations/index.js';
import { Therapist } from '../therapists/index.js';
import type { GroupEntity } from './group.entity.js';
import { CancelGroupInput, CreateGroupInput, GroupFilter, GroupScheduleInput, OpenGroupInput, UpdateGroupInput } from './group.inputs.js';
import { listGroups, previewSessions, requireRosterAccess, seatFigures } from './group.queries.js';
import { cancelGroup, createGroup, openGroup, updateGroup } from './group.service.js';
import { Group, GroupConnection, GroupPayload, GroupSchedule, TherapistAssignment } from './group.types.js';
import { PlannedSession, Session } from './session.types.js';

@ArgsType()
class GroupsArgs extends PageArgs {
  @Field(() => GroupFilter, { nullable: true, description: 'Narrows the list.' })
  filter?: GroupFilter | null;
}

@ArgsType()
class RosterArgs extends PageArgs {
  @Field(() => [ReservationStatus], { nullable: true, description: 'Only these statuses (default: all).' })
  statuses?: ReservationStatus[] | null;
}

/** Seats moved: fields read after the mutation (its payload, later mutations) see the new state. */
async function seatsMoved<T>(ctx: Context, change: Promise<T>): Promise<T> {
  const result = await change;
  forgetCachedLoads(ctx.loaders);
  return result;
}

const seats = async (ctx: Context, group: View<GroupEntity>) => seatFigures(group, await ctx.loaders.seatsOfGroup.load(group.id));

@Resolver(() => Group)
export class GroupResolver {
  @Query(() => GroupConnection, {
    description: 'Groups by first session date. Without a status filter the public sees OPEN and IN_PROGRESS groups.',
  })
  groups(@Args() args: GroupsArgs, @Ctx() ctx: Context) {
    return listGroups(ctx, args, args.filter ?? {});
  }

  @Query(() => Group, { nullable: true, description: 'One group; drafts are NOT_FOUND except for admins and its therapists.' })
  group(@Arg('id', () => ID, { description: 'Global ID of a Group.' }) id: string, @Ctx() ctx: Context) {
    return loadVisible(ctx, 'Group', parseGlobalId(id, 'Group'));
  }

  @Query(() => [PlannedSession], {
    description: 'The sessions a schedule would generate, without creating anything (for previews). Invalid schedules are BAD_USER_INPUT.',
  })
  previewGroupSessions(
    @Arg('schedule', () => GroupScheduleInput, { description: 'The schedule to preview.' }) schedule: GroupScheduleInput,
  ): PlannedSession[] {
    return previewSessions(schedule);
  }

  @FieldResolver(() => Program, { description: 'The program the group runs.' })
  program(@Root() group: View<GroupEntity>, @Ctx() ctx: Context) {
    return ctx.loaders.program.load(group.program.id);
  }

  @FieldResolver(() => Therapist, { description: 'The lead therapist.' })
  leadTherapist(@Root() group: View<GroupEntity>, @Ctx() ctx: Context) {
    return ctx.loaders.therapist.load(group.leadTherapist.id);
  }

  @FieldResolver(() => [Therapist], { description: 'Co-therapists, by display name.' })
  coTherapists(@Root() group: View<GroupEntity>, @Ctx() ctx: Context) {
    return ctx.loaders.coTherapistsOfGroup.load(group.id);
  }

  @FieldResolver(() => GroupSchedule, { description: 'When the group meets.' })
  schedule(@Root() group: View<GroupEntity>): GroupSchedule {
    const { startsOn, weekday, startTime, durationMinutes, sessionCount } = group;
    return { startsOn, weekday, startTime, durationMinutes, sessionCount };
  }

  @FieldResolver(() => Int, { description: 'Seats held or confirmed.' })
  async seatsTaken(@Root() group: View<GroupEntity>, @Ctx() ctx: Context) {
    return (await seats(ctx, group)).seatsTaken;
  }

  @FieldResolver(() => Int, { description: 'Seats held for members who have not signed yet (included in seatsTaken).' })
  async seatsHeld(@Root() group: View<GroupEntity>, @Ctx() ctx: Context) {
    return (await seats(ctx, group)).seatsHeld;
  }

  @FieldResolver(() => Int, { description: 'Free seats: capacity minus seats taken.' })
  async seatsAvailable(@Root() group: View<GroupEntity>, @Ctx() ctx: Context) {
    return (await seats(ctx, group)).seatsAvailable;
  }

  @FieldResolver(() => Int, { description: 'Members waiting for a seat.' })
  async waitlistLength(@Root() group: View<GroupEntity>, @Ctx() ctx: Context) {
    return (await seats(ctx, group)).waitlistLength;
  }

  @FieldResolver(() => [Session], { description: 'All sessions, in order.' })
  sessions(@Root() group: View<GroupEntity>, @Ctx() ctx: Context) {
    return ctx.loaders.sessionsOfGroup.load(group.id);
  }

  @FieldResolver(() => Session, { nullable: true, description: 'The next scheduled session still to start; null when none is left.' })
  nextSession(@Root() group: View<GroupEntity>, @Ctx() ctx: Context) {
    return ctx.loaders.nextSessionOfGroup.load(group.id);
  }

  @FieldResolver(() => ReservationConnection, {
    nullable: true,
    description:
      "Reservations, oldest first: admins and the group's therapists see all, a partner its members', a member its own; other therapists get null with FORBIDDEN, anonymous callers UNAUTHENTICATED.",
  })
  reservations(@Root() group: View<GroupEntity>, @Args() args: RosterArgs, @Ctx() ctx: Context) {
    return groupReservations(ctx, group, args, { statuses: args.statuses });
  }

  @FieldResolver(() => ReservationConnection, {
    nullable: true,
    description:
      "The waitlist in order, position 1 first (members appear by display name): admins and the group's therapists; null with FORBIDDEN for others.",
  })
  waitlist(@Root() group: View<GroupEntity>, @Args() page: PageArgs, @Ctx() ctx: Context) {
    return groupWaitlist(ctx, group, page);
  }

  @FieldResolver(() => [TherapistAssignment], {
    nullable: true,
    description:
      "Who led and co-leads the group, oldest first, with when and by whom each assignment started and ended: admins and the group's therapists; null with FORBIDDEN for others.",
  })
  async assignments(@Root() group: View<GroupEntity>, @Ctx() ctx: Context) {
    await requireRosterAccess(ctx, group.id);
    return ctx.loaders.assignmentsOfGroup.load(group.id);
  }

  @Authorized('ADMIN')
  @Mutation(() => GroupPayload, { description: 'Creates a DRAFT group with its sessions. Admins only.' })
  createGroup(@Arg('input', () => CreateGroupInput, INPUT) input: CreateGroupInput, @Ctx() ctx: Context) {
    return mutate(async () => ({ group: await createGroup(ctx, input) }));
  }

  @Authorized('ADMIN')
  @Mutation(() => GroupPayload, { description: 'Changes a group (capacity never below the seats taken). Admins only.' })
  updateGroup(@Arg('input', () => UpdateGroupInput, INPUT) input: UpdateGroupInput, @Ctx() ctx: Context) {
    return mutate(async () => ({ group: await seatsMoved(ctx, updateGroup(ctx, input)) }));
  }

  @Authorized('ADMIN')
  @Mutation(() => GroupPayload, { description: 'Opens a draft group for reservations. Admins only.' })
  openGroup(@Arg('input', () => OpenGroupInput, INPUT) input: OpenGroupInput, @Ctx() ctx: Context) {
    return mutate(async () => ({ group: await seatsMoved(ctx, openGroup(ctx, input)) }));
  }

  @Authorized('ADMIN')
  @Mutation(() => GroupPayload, { description: 'Cancels a group and all its active reservations. Admins only.' })
  cancelGroup(@Arg('input', () => CancelGroupInput, INPUT) input: CancelGroupInput, @Ctx() ctx: Context) {
    return mutate(async () => ({ group: await seatsMoved(ctx, cancelGroup(ctx, input)) }));
  }
}

@Resolver(() => Reservation)
export class ReservationGroupResolver {
  @FieldResolver(() => Group, { description: 'The group.' })
  group(@Root() reservation: View<ReservationEntity>, @Ctx() ctx: Context) {
    return ctx.loaders.group.load(reservation.group.id);
  }
}
