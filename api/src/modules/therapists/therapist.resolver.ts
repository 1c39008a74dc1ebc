import { Arg, Args, Authorized, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root } from 'type-graphql';
import type { Viewer as ViewerValue } from '../../authz/viewer.js';
import type { Context } from '../../graphql/context.js';
import { PageArgs } from '../../graphql/connection.js';
import { parseGlobalId } from '../../graphql/ids.js';
import { loadVisible } from '../../graphql/node.js';
import { INPUT, mutate } from '../../graphql/payload.js';
import { isAdmin } from '../../authz/rules.js';
import type { View } from '../../db/views.js';
import { forbidden } from '../../graphql/errors.js';
import { StaffAccountStatus, staffStatusOf, Viewer } from '../accounts/index.js';
import type { TherapistEntity } from './therapist.entity.js';
import { ApproveTherapistInput, CreateTherapistInput } from './therapist.inputs.js';
import { approveTherapist, createTherapist, listTherapists } from './therapist.service.js';
import { ApproveTherapistPayload, CreateTherapistPayload, Therapist, TherapistConnection } from './therapist.types.js';

@Resolver(() => Therapist)
export class TherapistResolver {
  @Query(() => TherapistConnection, { description: 'All therapists, by display name. Public professional profiles.' })
  therapists(@Args() page: PageArgs, @Ctx() ctx: Context) {
    return listTherapists(ctx, page);
  }

  @Query(() => Therapist, { nullable: true, description: 'One therapist by ID.' })
  therapist(@Arg('id', () => ID, { description: 'Global ID of a Therapist.' }) id: string, @Ctx() ctx: Context) {
    return loadVisible(ctx, 'Therapist', parseGlobalId(id, 'Therapist'));
  }

  @Authorized('ADMIN')
  @Mutation(() => CreateTherapistPayload, {
    description:
      'Adds a therapist and invites it by mail to choose its own password; it signs in once an admin other than you approved it. Admins only.',
  })
  createTherapist(@Arg('input', () => CreateTherapistInput, INPUT) input: CreateTherapistInput, @Ctx() ctx: Context) {
    return mutate(async () => ({ therapist: await createTherapist(ctx, input) }));
  }

  @Authorized('ADMIN')
  @Mutation(() => ApproveTherapistPayload, {
    description: "Approves a therapist's account: not by the admin who invited it. Until then it cannot sign in. Admins only.",
  })
  approveTherapist(@Arg('input', () => ApproveTherapistInput, INPUT) input: ApproveTherapistInput, @Ctx() ctx: Context) {
    return mutate(async () => ({ therapist: await approveTherapist(ctx, input) }));
  }

  @FieldResolver(() => StaffAccountStatus, {
    nullable: true,
    description: "Where the therapist's staff account stands. Admins only; null with FORBIDDEN for others.",
  })
  async accountStatus(@Root() therapist: View<TherapistEntity>, @Ctx() ctx: Context): Promise<StaffAccountStatus | null> {
    if (!isAdmin(ctx.viewer)) throw forbidden('Only admins see staff accounts.');
    const account = await ctx.loaders.accountOfTherapist.load(therapist.id);
    return account ? staffStatusOf(account) : null;
  }
}

@Resolver(() => Viewer)
export class ViewerTherapistResolver {
  @FieldResolver(() => Therapist, { nullable: true, description: 'The signed-in therapist, when the caller is a therapist.' })
  therapist(@Root() viewer: ViewerValue, @Ctx() ctx: Context) {
    return viewer.kind === 'THERAPIST' ? ctx.loaders.therapist.load(viewer.therapistId) : null;
  }
}
