import { Args, ArgsType, Ctx, Field, FieldResolver, Resolver, Root } from 'type-graphql';
import { isAdmin } from '../../authz/rules.js';
import type { Context } from '../../graphql/context.js';
import { forbidden, unauthenticated } from '../../graphql/errors.js';
import { PageArgs } from '../../graphql/connection.js';
import { toGlobalId } from '../../graphql/ids.js';
import type { View } from '../../db/views.js';
import { Therapist, type TherapistEntity } from '../therapists/index.js';
import { GroupStatus } from './group.entity.js';
import { listGroups } from './group.queries.js';
import { GroupConnection, TherapistAssignment } from './group.types.js';

@ArgsType()
class TherapistGroupsArgs extends PageArgs {
  @Field(() => [GroupStatus], { nullable: true, description: 'Only these statuses (default as for `groups`).' })
  statuses?: GroupStatus[] | null;
}

@Resolver(() => Therapist)
export class TherapistGroupsResolver {
  @FieldResolver(() => GroupConnection, {
    description:
      'Groups the therapist leads or co-leads that you may see, by first session date (`viewer { therapist { groups } }` lists your own).',
  })
  groups(@Root() therapist: View<TherapistEntity>, @Args() args: TherapistGroupsArgs, @Ctx() ctx: Context) {
    return listGroups(ctx, args, { therapistId: toGlobalId('Therapist', therapist.id), statuses: args.statuses ?? undefined });
  }

  @FieldResolver(() => [TherapistAssignment], {
    nullable: true,
    description:
      'Every group the therapist led or co-led, oldest first, with when and by whom each assignment started and ended (groups it left included): admins and the therapist itself; null with FORBIDDEN for others (UNAUTHENTICATED when anonymous).',
  })
  assignments(@Root() therapist: View<TherapistEntity>, @Ctx() ctx: Context) {
    if (ctx.viewer.kind === 'ANONYMOUS') throw unauthenticated();
    const self = ctx.viewer.kind === 'THERAPIST' && ctx.viewer.therapistId === therapist.id;
    if (!(isAdmin(ctx.viewer) || self)) throw forbidden('Only admins and the therapist itself see its assignments.');
    return ctx.loaders.assignmentsOfTherapist.load(therapist.id);
  }
}
