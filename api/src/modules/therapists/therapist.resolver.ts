import { Arg, Args, Authorized, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root } from 'type-graphql';
import type { Viewer as ViewerValue } from '../../authz/viewer.js';
import type { Context } from '../../graphql/context.js';
import { PageArgs } from '../../graphql/connection.js';
import { parseGlobalId } from '../../graphql/ids.js';
import { loadVisible } from '../../graphql/node.js';
import { INPUT, mutate } from '../../graphql/payload.js';
import { Viewer } from '../accounts/index.js';
import { CreateTherapistInput } from './therapist.inputs.js';
import { createTherapist, listTherapists } from './therapist.service.js';
import { CreateTherapistPayload, Therapist, TherapistConnection } from './therapist.types.js';

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
  @Mutation(() => CreateTherapistPayload, { description: 'Adds a therapist with a sign-in account. Admins only.' })
  createTherapist(@Arg('input', () => CreateTherapistInput, INPUT) input: CreateTherapistInput, @Ctx() ctx: Context) {
    return mutate(async () => ({ therapist: await createTherapist(ctx, input) }));
  }
}

@Resolver(() => Viewer)
export class ViewerTherapistResolver {
  @FieldResolver(() => Therapist, { nullable: true, description: 'The signed-in therapist, when the caller is a therapist.' })
  therapist(@Root() viewer: ViewerValue, @Ctx() ctx: Context) {
    return viewer.kind === 'THERAPIST' ? ctx.loaders.therapist.load(viewer.therapistId) : null;
  }
}
