import { Arg, Authorized, Ctx, FieldResolver, Mutation, Resolver, Root } from 'type-graphql';
import { isAdmin, isGroupTherapist } from '../../authz/rules.js';
import type { View } from '../../db/views.js';
import type { Context } from '../../graphql/context.js';
import { forbidden, unauthenticated } from '../../graphql/errors.js';
import { INPUT, mutate } from '../../graphql/payload.js';
import { Session, type SessionEntity } from '../groups/index.js';
import { Member, type MemberEntity } from '../members/index.js';
import type { AttendanceEntity } from './attendance.entity.js';
import { recordAttendance, visibleAttendance } from './attendance.service.js';
import { Attendance, RecordAttendanceInput, RecordAttendancePayload } from './attendance.types.js';

@Resolver(() => Attendance)
export class AttendanceResolver {
  @FieldResolver(() => Session, { description: 'The session.' })
  session(@Root() attendance: View<AttendanceEntity>, @Ctx() ctx: Context) {
    return ctx.loaders.session.load(attendance.session.id);
  }

  @FieldResolver(() => Member, { description: 'The member.' })
  member(@Root() attendance: View<AttendanceEntity>, @Ctx() ctx: Context) {
    return ctx.loaders.member.load(attendance.member.id);
  }

  @Authorized('THERAPIST')
  @Mutation(() => RecordAttendancePayload, {
    description:
      'Records whether a member came to a session (PRESENT, LATE, ABSENT, EXCUSED); recording again replaces it. Therapists of the group.',
  })
  recordAttendance(@Arg('input', () => RecordAttendanceInput, INPUT) input: RecordAttendanceInput, @Ctx() ctx: Context) {
    return mutate(async () => ({ attendance: await recordAttendance(ctx, input) }));
  }
}

@Resolver(() => Session)
export class SessionAttendanceResolver {
  @FieldResolver(() => [Attendance], {
    nullable: true,
    description:
      "Attendance recorded for this session: admins and the group's therapists; null with FORBIDDEN for others (UNAUTHENTICATED when anonymous).",
  })
  async attendance(@Root() session: View<SessionEntity>, @Ctx() ctx: Context) {
    if (ctx.viewer.kind === 'ANONYMOUS') throw unauthenticated();
    if (!(isAdmin(ctx.viewer) || (await isGroupTherapist(ctx, session.group.id))))
      throw forbidden("Only admins and the group's therapists see attendance.");
    return ctx.loaders.attendanceOfSession.load(session.id);
  }
}

@Resolver(() => Member)
export class MemberAttendanceResolver {
  @FieldResolver(() => [Attendance], {
    description: "The member's attendance you may see: the member, its partner and admins all; a therapist in its own groups.",
  })
  attendance(@Root() member: View<MemberEntity>, @Ctx() ctx: Context) {
    return visibleAttendance(ctx, member);
  }
}
