import { isAdmin } from '../../authz/rules.js';
import { allOf, sql } from '../../db/sql.js';
import type { View } from '../../db/views.js';
import { type PageArgs, paginate } from '../../graphql/connection.js';
import type { Context } from '../../graphql/context.js';
import { badInput } from '../../graphql/errors.js';
import { decodeGlobalId, parseGlobalId } from '../../graphql/ids.js';
import { registerNode } from '../../graphql/node.js';
import { StaffActionEntity } from './staff-action.entity.js';

export interface StaffActionFilter {
  actorId?: string | null;
  subjectId?: string | null;
  groupId?: string | null;
  since?: Date | null;
  until?: Date | null;
}

/** A therapist sees the actions that touched a group it leads or co-leads (condition on `t`). */
const touchedGroupOf = (therapistId: string) =>
  sql`exists (select 1 from therapist_group_access tg where tg.group_id = t.group_id and tg.therapist_id = ${therapistId})`;

/** Admins see every action; a therapist the actions that touched its own groups. */
async function canSeeStaffAction(ctx: Context, action: View<StaffActionEntity>): Promise<boolean> {
  if (isAdmin(ctx.viewer)) return true;
  if (ctx.viewer.kind !== 'THERAPIST' || !action.groupId) return false;
  return (await ctx.loaders.groupIdsOfTherapist.load(ctx.viewer.therapistId)).has(action.groupId);
}

registerNode({
  typeName: 'StaffAction',
  entity: StaffActionEntity,
  load: (ctx, id) => ctx.loaders.staffAction.load(id),
  visible: canSeeStaffAction,
});

function actorIdOf(globalId: string): string {
  const decoded = decodeGlobalId(globalId);
  if (!decoded || !['Admin', 'Therapist', 'Partner'].includes(decoded.type)) {
    throw badInput('`actorId` must be the ID of an admin, a therapist or a partner.', 'INVALID_ID');
  }
  return decoded.id;
}

/** Staff actions the viewer may see, newest first, narrowed by the filter. */
export function listStaffActions(ctx: Context, page: PageArgs, filter: StaffActionFilter) {
  const where = [];
  if (ctx.viewer.kind === 'THERAPIST') where.push(touchedGroupOf(ctx.viewer.therapistId));
  if (filter.actorId) where.push(sql`t.actor_id = ${actorIdOf(filter.actorId)}`);
  if (filter.subjectId) {
    const subject = decodeGlobalId(filter.subjectId);
    if (!subject) throw badInput('This is not a valid ID.', 'INVALID_ID');
    where.push(sql`t.subject_id = ${subject.id} and t.subject_type = ${subject.type}`);
  }
  if (filter.groupId) where.push(sql`t.group_id = ${parseGlobalId(filter.groupId, 'Group')}`);
  if (filter.since) where.push(sql`t.at >= ${filter.since}`);
  if (filter.until) where.push(sql`t.at < ${filter.until}`);
  return paginate(ctx, StaffActionEntity, allOf(where), page, [{ property: 'id', direction: 'desc' }]);
}
