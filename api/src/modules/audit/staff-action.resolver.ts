import { Arg, Args, ArgsType, Authorized, createUnionType, Ctx, Field, FieldResolver, ID, Query, Resolver, Root } from 'type-graphql';
import type { View } from '../../db/views.js';
import { PageArgs } from '../../graphql/connection.js';
import type { Context } from '../../graphql/context.js';
import { type NodeTypeName, parseGlobalId, toGlobalId } from '../../graphql/ids.js';
import { loadIfVisible, loadVisible } from '../../graphql/node.js';
import { Admin, AccountEntity } from '../accounts/index.js';
import { Partner, PartnerEntity } from '../partners/index.js';
import { Therapist } from '../therapists/index.js';
import type { StaffActionEntity } from './staff-action.entity.js';
import { listStaffActions } from './staff-action.queries.js';
import { StaffAction, StaffActionChange, StaffActionConnection } from './staff-action.types.js';

const StaffActor = createUnionType({
  name: 'StaffActor',
  description: 'Who acted: an admin, a therapist or a partner organisation.',
  types: () => [Admin, Therapist, Partner] as const,
  resolveType: (value) => (value instanceof AccountEntity ? 'Admin' : value instanceof PartnerEntity ? 'Partner' : 'Therapist'),
});

/** The node type of each kind of actor (its visibility rule applies to `actor`). */
const ACTOR_TYPES: Partial<Record<string, NodeTypeName>> = { ADMIN: 'Admin', THERAPIST: 'Therapist', PARTNER: 'Partner' };

@ArgsType()
class StaffActionsArgs extends PageArgs {
  @Field(() => ID, { nullable: true, description: 'Only actions by this admin, therapist or partner.' }) actorId?: string | null;
  @Field(() => ID, { nullable: true, description: 'Only actions about this object (any global ID).' }) subjectId?: string | null;
  @Field(() => ID, { nullable: true, description: 'Only actions that touched this group (its reservations, sessions, therapists…).' })
  groupId?: string | null;
  @Field(() => Date, { nullable: true, description: 'Only actions at or after this instant.' }) since?: Date | null;
  @Field(() => Date, { nullable: true, description: 'Only actions before this instant.' }) until?: Date | null;
}

@Resolver(() => StaffAction)
export class StaffActionResolver {
  @Authorized('ADMIN', 'THERAPIST')
  @Query(() => StaffActionConnection, {
    description:
      'What admins, therapists and partners did, newest first: admins see every action; a therapist the actions that touched its own groups.',
  })
  staffActions(@Args() args: StaffActionsArgs, @Ctx() ctx: Context) {
    return listStaffActions(ctx, args, args);
  }

  @Authorized('ADMIN', 'THERAPIST')
  @Query(() => StaffAction, { nullable: true, description: 'One staff action; NOT_FOUND when you may not see it.' })
  staffAction(@Arg('id', () => ID, { description: 'Global ID of a StaffAction.' }) id: string, @Ctx() ctx: Context) {
    return loadVisible(ctx, 'StaffAction', parseGlobalId(id, 'StaffAction'));
  }

  @FieldResolver(() => StaffActor, {
    nullable: true,
    description:
      'Who acted, when you may see it (`actorKind` says what it is either way): a therapist; an admin or a partner only for admins (and a partner for itself). Null for an operator command, or if that account or partner no longer exists.',
  })
  actor(@Root() action: View<StaffActionEntity>, @Ctx() ctx: Context): Promise<{ id: string } | null> | null {
    const typeName = ACTOR_TYPES[action.actorKind];
    return typeName ? loadIfVisible(ctx, typeName, action.actorId) : null;
  }

  @FieldResolver(() => ID, { nullable: true, description: 'Global ID of what it was about, when that has one.' })
  subjectId(@Root() action: View<StaffActionEntity>): string | null {
    return action.subjectId && action.subjectType ? toGlobalId(action.subjectType as NodeTypeName, action.subjectId) : null;
  }

  @FieldResolver(() => [StaffActionChange], { description: 'What it changed, object by object (empty when nothing changed).' })
  changes(@Root() action: View<StaffActionEntity>): StaffActionChange[] {
    return action.changes.map((change) => ({
      type: change.type,
      id: change.id,
      before: change.before ?? null,
      after: change.after ?? null,
    }));
  }
}
