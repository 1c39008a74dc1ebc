import { type FilterQuery, raw } from '@mikro-orm/core';
import { isAdmin, isGroupTherapist } from '../../authz/rules.js';
import type { View } from '../../db/views.js';
import { type PageArgs, paginate } from '../../graphql/connection.js';
import type { Context } from '../../graphql/context.js';
import { parseGlobalId } from '../../graphql/ids.js';
import { registerNode } from '../../graphql/node.js';
import { GroupEntity, GroupStatus } from './group.entity.js';
import type { SeatCounts } from './group.loaders.js';
import type { GroupFilter } from './group.inputs.js';

const PUBLIC_STATUSES = [GroupStatus.OPEN, GroupStatus.IN_PROGRESS];

/** Drafts are for admins and the group's therapists; every other group is public. */
export async function canSeeGroup(ctx: Context, group: View<GroupEntity>): Promise<boolean> {
  return group.status !== GroupStatus.DRAFT || isAdmin(ctx.viewer) || (await isGroupTherapist(ctx, group.id));
}

registerNode({ typeName: 'Group', entity: GroupEntity, load: (ctx, id) => ctx.loaders.group.load(id), visible: canSeeGroup });

/** Seats derived from the one GROUP BY loader: HELD + CONFIRMED are taken. */
export function seatFigures(group: View<GroupEntity>, seats: SeatCounts) {
  const taken = seats.held + seats.confirmed;
  return {
    taken,
    held: seats.held,
    available: Math.max(0, group.capacity - taken),
    waitlistLength: seats.waitlisted,
  };
}

/**
 * Groups by first session date. Non-staff see OPEN and IN_PROGRESS groups unless they ask for
 * other statuses; drafts are never listed for them.
 */
export async function listGroups(ctx: Context, page: PageArgs, filter: GroupFilter) {
  const { viewer } = ctx;
  const ownGroups = viewer.kind === 'THERAPIST' ? [...(await ctx.loaders.groupIdsOfTherapist.load(viewer.therapistId))] : [];
  const programId = filter.programId ? parseGlobalId(filter.programId, 'Program') : null;
  const therapistId = filter.therapistId ? parseGlobalId(filter.therapistId, 'Therapist') : null;
  const where = (): FilterQuery<GroupEntity> => ({ $and: groupConditions(viewer.kind, ownGroups, filter, programId, therapistId) });
  const connection = await paginate(ctx, GroupEntity, where, page, [{ property: 'startsOn', direction: 'asc' }]);
  // Sessions look their group up by id (for its time zone): prime the loader with this page.
  for (const group of connection.nodes) ctx.loaders.group.prime(group.id, group);
  return connection;
}

function groupConditions(
  viewerKind: Context['viewer']['kind'],
  ownGroups: string[],
  filter: GroupFilter,
  programId: string | null,
  therapistId: string | null,
): FilterQuery<GroupEntity>[] {
  const where: FilterQuery<GroupEntity>[] = [];
  const staff = viewerKind === 'ADMIN' || viewerKind === 'THERAPIST';
  if (filter.statuses?.length) where.push({ status: { $in: filter.statuses } });
  else if (!staff) where.push({ status: { $in: PUBLIC_STATUSES } });
  if (viewerKind === 'THERAPIST') where.push({ $or: [{ status: { $ne: GroupStatus.DRAFT } }, { id: { $in: ownGroups } }] });
  else if (viewerKind !== 'ADMIN') where.push({ status: { $ne: GroupStatus.DRAFT } });
  if (programId) where.push({ program: programId });
  if (therapistId) {
    where.push({
      $or: [
        { leadTherapist: therapistId },
        // therapistId passed parseGlobalId's UUID check, so it is safe inline.
        {
          [raw(
            (alias) => `exists (select 1 from group_co_therapist c where c.group_id = ${alias}.id and c.therapist_id = '${therapistId}')`,
          )]: true,
        },
      ],
    });
  }
  if (filter.timeZone) where.push({ timeZone: filter.timeZone.slice(0, 64) });
  if (filter.type) where.push({ type: filter.type });
  if (filter.format) where.push({ format: filter.format });
  if (filter.hasSeatsAvailable != null) {
    // seats_taken is the trigger-kept count of HELD + CONFIRMED rows (migration 0002); a hold
    // past its expiry is a free seat here, as in the seat figures (group.loaders.ts), so one
    // request never contradicts itself before the sweeper settles it.
    const free = raw(
      (alias) => `(${alias}.capacity > ${alias}.seats_taken or exists (select 1 from reservation r
                   where r.group_id = ${alias}.id and r.status = 'HELD' and r.expires_at <= now()))`,
    );
    where.push({ [free]: filter.hasSeatsAvailable });
  }
  return where;
}
