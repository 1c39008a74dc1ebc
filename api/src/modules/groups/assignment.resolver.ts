import { Ctx, FieldResolver, Resolver, Root } from 'type-graphql';
import { isAdmin } from '../../authz/rules.js';
import type { Context } from '../../graphql/context.js';
import { loadIfVisible } from '../../graphql/node.js';
import { Admin } from '../accounts/index.js';
import { Therapist } from '../therapists/index.js';
import type { AssignmentRow } from './group.loaders.js';
import { Group, TherapistAssignment } from './group.types.js';

/** The people behind one assignment: the therapist, and (for admins) the admins who made and ended it. */
@Resolver(() => TherapistAssignment)
export class TherapistAssignmentResolver {
  @FieldResolver(() => Therapist, { description: 'The therapist assigned.' })
  therapist(@Root() assignment: AssignmentRow, @Ctx() ctx: Context) {
    return ctx.loaders.therapist.load(assignment.therapistId);
  }

  @FieldResolver(() => Group, { nullable: true, description: 'The group; null when you may not see it (a draft you no longer lead).' })
  group(@Root() assignment: AssignmentRow, @Ctx() ctx: Context) {
    return loadIfVisible(ctx, 'Group', assignment.groupId);
  }

  @FieldResolver(() => Admin, {
    nullable: true,
    description: 'The admin who made the assignment, when an admin did. Read by admins; null for others.',
  })
  startedByAdmin(@Root() assignment: AssignmentRow, @Ctx() ctx: Context) {
    return isAdmin(ctx.viewer) && assignment.startedByAccountId ? ctx.loaders.account.load(assignment.startedByAccountId) : null;
  }

  @FieldResolver(() => Admin, {
    nullable: true,
    description: 'The admin who ended the assignment, when an admin did. Read by admins; null for others.',
  })
  endedByAdmin(@Root() assignment: AssignmentRow, @Ctx() ctx: Context) {
    return isAdmin(ctx.viewer) && assignment.endedByAccountId ? ctx.loaders.account.load(assignment.endedByAccountId) : null;
  }
}
