import { Arg, Args, ArgsType, Authorized, Ctx, Field, FieldResolver, ID, Int, Mutation, Query, Resolver, Root } from 'type-graphql';
import type { View } from '../../db/views.js';
import { PageArgs } from '../../graphql/connection.js';
import { type Context, forgetCachedLoads } from '../../graphql/context.js';
import { badInput } from '../../graphql/errors.js';
import { parseGlobalId } from '../../graphql/ids.js';
import { loadVisible } from '../../graphql/node.js';
import { payload } from '../../graphql/payload.js';
import { UserErrors, validateInput } from '../../graphql/user-errors.js';
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
import {
  CancelGroupInput,
  CreateGroupInput,
  GroupFilter,
  GroupScheduleInput,
  OpenGroupInput,
  scheduleSchema,
  UpdateGroupInput,
} from './group.inputs.js';
import { listGroups, seatFigures } from './group.queries.js';
import { cancelGroup, createGroup, openGroup, updateGroup } from './group.service.js';
import { Group, GroupConnection, GroupPayload, GroupSchedule } from './group.types.js';
import { localIso, planSessions } from './schedule.js';
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

/**
 * A query has no payload for user errors: an invalid schedule is BAD_USER_INPUT, its reason the
 * first user-error code (messages never repeat the submitted value).
 */
function validSchedule(schedule: GroupScheduleInput) {
  try {
    return validateInput(scheduleSchema, schedule);
  } catch (error) {
    if (!(error instanceof UserErrors)) throw error;
    const message = error.errors.map((e) => `${['schedule', ...(e.field ?? []).slice(1)].join('.')}: ${e.message}`).join(' ');
    throw badInput(message, error.errors[0]?.code);
  }
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
    const data = validSchedule(schedule);
    return planSessions({ ...data, durationMinutes: data.durationMinutes ?? 90, sessionCount: data.sessionCount ?? 8 }).map((s) => ({
      ...s,
      startsAtLocal: localIso(s.startsAt, data.timeZone),
    }));
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
    return (await seats(ctx, group)).taken;
  }

  @FieldResolver(() => Int, { description: 'Seats held for members who have not signed yet (included in seatsTaken).' })
  async seatsHeld(@Root() group: View<GroupEntity>, @Ctx() ctx: Context) {
    return (await seats(ctx, group)).held;
  }

  @FieldResolver(() => Int, { description: 'Free seats: capacity minus seats taken.' })
  async seatsAvailable(@Root() group: View<GroupEntity>, @Ctx() ctx: Context) {
    return (await seats(ctx, group)).available;
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

  @Authorized('ADMIN')
  @Mutation(() => GroupPayload, { description: 'Creates a DRAFT group with its sessions. Admins only.' })
  createGroup(
    @Arg('input', { description: 'The mutation input; see its type for each field.' }) input: CreateGroupInput,
    @Ctx() ctx: Context,
  ) {
    return payload(
      () => new GroupPayload(),
      async () => ({ group: (await createGroup(ctx, input)) as never }),
    );
  }

  @Authorized('ADMIN')
  @Mutation(() => GroupPayload, { description: 'Changes a group (capacity never below the seats taken). Admins only.' })
  updateGroup(
    @Arg('input', { description: 'The mutation input; see its type for each field.' }) input: UpdateGroupInput,
    @Ctx() ctx: Context,
  ) {
    return payload(
      () => new GroupPayload(),
      async () => {
        const group = await updateGroup(ctx, input);
        forgetCachedLoads(ctx.loaders); // seats moved: later fields read the new state
        return { group: group as never };
      },
    );
  }

  @Authorized('ADMIN')
  @Mutation(() => GroupPayload, { description: 'Opens a draft group for reservations. Admins only.' })
  openGroup(@Arg('input', { description: 'The mutation input; see its type for each field.' }) input: OpenGroupInput, @Ctx() ctx: Context) {
    return payload(
      () => new GroupPayload(),
      async () => {
        const group = await openGroup(ctx, input);
        forgetCachedLoads(ctx.loaders); // seats moved: later fields read the new state
        return { group: group as never };
      },
    );
  }

  @Authorized('ADMIN')
  @Mutation(() => GroupPayload, { description: 'Cancels a group and all its active reservations. Admins only.' })
  cancelGroup(
    @Arg('input', { description: 'The mutation input; see its type for each field.' }) input: CancelGroupInput,
    @Ctx() ctx: Context,
  ) {
    return payload(
      () => new GroupPayload(),
      async () => {
        const group = await cancelGroup(ctx, input);
        forgetCachedLoads(ctx.loaders); // seats moved: later fields read the new state
        return { group: group as never };
      },
    );
  }
}

@Resolver(() => Reservation)
export class ReservationGroupResolver {
  @FieldResolver(() => Group, { description: 'The group.' })
  group(@Root() reservation: View<ReservationEntity>, @Ctx() ctx: Context) {
    return ctx.loaders.group.load(reservation.group.id);
  }
}
