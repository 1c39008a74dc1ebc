import { isAdmin, isGroupTherapist } from '../../authz/rules.js';
import type { Viewer } from '../../authz/viewer.js';
import { allOf, type Statement, sql } from '../../db/sql.js';
import type { View } from '../../db/views.js';
import { type PageArgs, paginate } from '../../graphql/connection.js';
import type { Context } from '../../graphql/context.js';
import { forbidden, unauthenticated } from '../../graphql/errors.js';
import { parseGlobalId } from '../../graphql/ids.js';
import type { ReadSeats } from '../../graphql/public-cache.js';
import { registerNode } from '../../graphql/node.js';
import { validateArgument } from '../../graphql/user-errors.js';
import { GroupEntity, GroupStatus } from './group.entity.js';
import { type SeatCounts, seatCountsOf } from './group.loaders.js';
import { type GroupFilter, type GroupScheduleInput, scheduleSchema } from './group.inputs.js';
import { localIso, planSessions } from './schedule.js';
import type { PlannedSession } from './session.types.js';

const PUBLIC_STATUSES = [GroupStatus.OPEN, GroupStatus.IN_PROGRESS];

/** Drafts are for admins and the group's therapists; every other group is public. */
export async function canSeeGroup(ctx: Context, group: View<GroupEntity>): Promise<boolean> {
  return group.status !== GroupStatus.DRAFT || isAdmin(ctx.viewer) || (await isGroupTherapist(ctx, group.id));
}

registerNode({ typeName: 'Group', entity: GroupEntity, load: (ctx, id) => ctx.loaders.group.load(id), visible: canSeeGroup });

/** The Group seat fields, by field name, from the one GROUP BY (seatCountsOf): HELD + CONFIRMED are taken. */
export function seatFigures(group: Pick<View<GroupEntity>, 'capacity'>, seats: SeatCounts) {
  const taken = seats.held + seats.confirmed;
  return {
    seatsTaken: taken,
    seatsHeld: seats.held,
    seatsAvailable: Math.max(0, group.capacity - taken),
    waitlistLength: seats.waitlisted,
  };
}

/**
 * Fresh seat fields of groups (by id, with the capacity their cached answer shows) in one
 * statement, for the public cache's splice (graphql/public-cache.ts) — the same read and rule as
 * the Group seat fields — and how long time alone leaves them so (the first live hold's expiry).
 */
export const freshSeatFields: ReadSeats = async (em, capacities) => {
  const ids = [...capacities.keys()];
  const counts = await seatCountsOf(em, ids);
  let validMs = Number.POSITIVE_INFINITY;
  const fields = new Map<string, Record<string, number>>();
  ids.forEach((id, i) => {
    fields.set(id, seatFigures({ capacity: capacities.get(id)! }, counts[i]!));
    validMs = Math.min(validMs, counts[i]!.heldForMs ?? Number.POSITIVE_INFINITY);
  });
  return { fields, validMs };
};

/**
 * Groups by first session date. Non-staff see OPEN and IN_PROGRESS groups unless they ask for
 * other statuses; drafts are never listed for them.
 */
export async function listGroups(ctx: Context, page: PageArgs, filter: GroupFilter) {
  const programId = filter.programId ? parseGlobalId(filter.programId, 'Program') : null;
  const therapistId = filter.therapistId ? parseGlobalId(filter.therapistId, 'Therapist') : null;
  const where = groupConditions(ctx.viewer, filter, programId, therapistId);
  const connection = await paginate(ctx, GroupEntity, allOf(where), page, [{ property: 'startsOn', direction: 'asc' }]);
  // Sessions look their group up by id (for its time zone): prime the loader with this page.
  for (const group of connection.nodes) ctx.loaders.group.prime(group.id, group);
  return connection;
}

/** Whether therapist `therapistId` leads or co-leads the group `t` (the `therapist_group` view, migration 0007). */
const ledBy = (therapistId: string) =>
  sql`exists (select 1 from therapist_group tg where tg.group_id = t.id and tg.therapist_id = ${therapistId})`;

function groupConditions(viewer: Viewer, filter: GroupFilter, programId: string | null, therapistId: string | null): Statement[] {
  const where: Statement[] = [];
  const staff = viewer.kind === 'ADMIN' || viewer.kind === 'THERAPIST';
  if (filter.statuses?.length) where.push(sql`t.status = any(${filter.statuses}::group_status[])`);
  else if (!staff) where.push(sql`t.status = any(${PUBLIC_STATUSES}::group_status[])`);
  // Drafts: admins see all, a therapist its own, nobody else any.
  if (viewer.kind === 'THERAPIST') where.push(sql`t.status <> 'DRAFT' or ${ledBy(viewer.therapistId)}`);
  else if (viewer.kind !== 'ADMIN') where.push(sql`t.status <> 'DRAFT'`);
  if (programId) where.push(sql`t.program_id = ${programId}`);
  if (therapistId) where.push(ledBy(therapistId));
  if (filter.timeZone) where.push(sql`t.time_zone = ${filter.timeZone.slice(0, 64)}`);
  if (filter.type) where.push(sql`t.type = ${filter.type}::group_type`);
  if (filter.format) where.push(sql`t.format = ${filter.format}::group_format`);
  if (filter.hasSeatsAvailable != null) {
    // seats_taken is the trigger-kept count of HELD + CONFIRMED rows (migration 0002); a hold
    // past its expiry is a free seat here, as in the seat figures (group.loaders.ts), so one
    // request never contradicts itself before the sweeper settles it.
    const free = sql`t.capacity > t.seats_taken or exists (select 1 from reservation r
                       where r.group_id = t.id and r.status = 'HELD' and r.expires_at <= now())`;
    where.push(filter.hasSeatsAvailable ? free : sql`not (${free})`);
  }
  return where;
}

/**
 * The sessions a schedule would generate (8 of 90 minutes unless it says otherwise), for previews
 * before a group exists. An invalid schedule is BAD_USER_INPUT (a query has no payload).
 */
export function previewSessions(schedule: GroupScheduleInput): PlannedSession[] {
  const data = validateArgument(scheduleSchema, schedule, 'schedule');
  return planSessions({ ...data, durationMinutes: data.durationMinutes ?? 90, sessionCount: data.sessionCount ?? 8 }).map((s) => ({
    ...s,
    startsAtLocal: localIso(s.startsAt, data.timeZone),
  }));
}

/**
 * What only admins and the group's therapists see of a group (its roster, waitlist, therapist
 * history): UNAUTHENTICATED for anonymous callers, FORBIDDEN for others.
 */
export async function requireRosterAccess(ctx: Context, groupId: string): Promise<void> {
  if (ctx.viewer.kind === 'ANONYMOUS') throw unauthenticated();
  if (!(isAdmin(ctx.viewer) || (await isGroupTherapist(ctx, groupId)))) throw forbidden("Only admins and the group's therapists see this.");
}
