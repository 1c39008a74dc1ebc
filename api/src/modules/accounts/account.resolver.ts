import { Arg, Authorized, Ctx, FieldResolver, Mutation, Query, Resolver, Root } from 'type-graphql';
import type { Viewer as ViewerValue } from '../../authz/viewer.js';
import type { Context } from '../../graphql/context.js';
import { INPUT, mutate } from '../../graphql/payload.js';
import { LoginInput } from './account.inputs.js';
import { login, logout } from './account.service.js';
import { LoginPayload, LogoutPayload, Viewer } from './account.types.js';

@Resolver(() => Viewer)
export class AccountResolver {
  @Query(() => Viewer, { description: 'Who is calling: role, and the member, therapist or partner behind it.' })
  viewer(@Ctx() ctx: Context): ViewerValue {
    return ctx.viewer;
  }

  @FieldResolver(() => String, { name: 'role' })
  role(@Root() viewer: ViewerValue): string {
    return viewer.kind;
  }

  @Mutation(() => LoginPayload, { description: 'Signs a person (admin, therapist or member) in and returns a session token.' })
  login(@Arg('input', () => LoginInput, INPUT) input: LoginInput, @Ctx() ctx: Context) {
    return mutate(() => login(ctx, input));
  }

  @Authorized()
  @Mutation(() => LogoutPayload, { description: "Ends the caller's session; its token stops working at once." })
  logout(@Ctx() ctx: Context) {
    return mutate(async () => ({ loggedOut: await logout(ctx) }));
  }
}
