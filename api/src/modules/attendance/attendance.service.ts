import { isAdmin, isGroupTherapist, isReferringPartner, isSelf } from '../../authz/rules.js';
import { noteChange } from '../../authz/staff-actions.js';
import { pooledSql, sql } from '../../db/sql.js';
import { type View, viewColumns, viewsOf } from '../../db/views.js';
import type { Context } from '../../graphql/context.js';
import { refuse, UserErrorCode, validateInput } from '../../graphql/user-errors.js';
import { SessionEntity } from '../groups/index.js';
import type { MemberEntity } from '../members/index.js';
import { AttendanceEntity } from './attendance.entity.js';
import { type RecordAttendanceInput, recordAttendanceSchema } from './attendance.types.js';

/**
 * `recordAttendance`: a therapist of the session's group, for a member who has (or had) a seat
 * in it. Recording again replaces the earlier status (an upsert on session and member).
 */
export async function recordAttendance(ctx: Context, input: RecordAttendanceInput): Promise<View<AttendanceEntity>> {
  const data = validateInput(recordAttendanceSchema, input);
  const session = await ctx.loaders.session.load(data.sessionId);
  if (!session || !(await isGroupTherapist(ctx, session.group.id))) {
    return refuse(UserErrorCode.NOT_FOUND, ['input', 'sessionId'], 'No session with this ID.');
  }
  // An ended place counts only if it was a seat once: a waitlist place given up never was.
  const [seat] = await pooledSql(ctx.em).query<{ id: string }>(
    sql`select r.id from reservation r
      where r.group_id = ${session.group.id} and r.member_id = ${data.memberId}
        and (r.status in ('HELD', 'CONFIRMED')
             or (r.status in ('CANCELLED', 'REMOVED', 'MOVED') and exists (
                   select 1 from reservation_event e where e.reservation_id = r.id and e.to_status in ('HELD', 'CONFIRMED'))))
      limit 1`,
  );
  if (!seat) refuse(UserErrorCode.NOT_IN_GROUP, ['input', 'memberId'], "This member has no seat in the session's group.");
  const therapistId = ctx.viewer.kind === 'THERAPIST' ? ctx.viewer.therapistId : null;
  const recorded = await pooledSql(ctx.em).query(
    sql`insert into attendance as a (session_id, member_id, status, recorded_by_id, recorded_at)
        values (${session.id}, ${data.memberId}, ${data.status}, ${therapistId}, now())
        on conflict (session_id, member_id) do update set status = excluded.status, recorded_by_id = excluded.recorded_by_id, recorded_at = now()
        returning ${viewColumns(ctx.em, AttendanceEntity, 'a')}`,
  );
  const attendance = viewsOf(ctx.em, AttendanceEntity, recorded)[0]!;
  noteChange({ type: 'Attendance', id: `${session.id}:${data.memberId}`, after: { status: attendance.status }, groupId: session.group.id });
  return attendance;
}

/** A member's attendance the viewer may see: the member, its partner, admins, and therapists for their own groups. */
export async function visibleAttendance(ctx: Context, member: View<MemberEntity>): Promise<View<AttendanceEntity>[]> {
  const all = await ctx.loaders.attendanceOfMember.load(member.id);
  const { viewer } = ctx;
  if (isAdmin(viewer) || isSelf(viewer, member.id) || isReferringPartner(viewer, member.partner?.id)) return all;
  if (viewer.kind !== 'THERAPIST') return [];
  const sessions = await ctx.loaders.session.loadMany(all.map((a) => a.session.id));
  const own = await Promise.all(sessions.map((s) => (s instanceof SessionEntity ? isGroupTherapist(ctx, s.group.id) : false)));
  return all.filter((_, i) => own[i]);
}
