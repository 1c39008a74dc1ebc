import { Arg, Authorized, Ctx, FieldResolver, Mutation, Query, Resolver, Root } from 'type-graphql';
import type { Viewer as ViewerValue } from '../../authz/viewer.js';
import type { Context } from '../../graphql/context.js';
import { payload } from '../../graphql/payload.js';
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
  login(
    @Arg('input', { description: 'The mutation input; see its type for each field.' }) input: LoginInput,
    @Ctx() ctx: Context,
  ): Promise<LoginPayload> {
    return payload(
      () => new LoginPayload(),
      async () => {
        const session = await login(ctx, input);
        const viewer: ViewerValue =
          session.account.role === 'ADMIN'
            ? { kind: 'ADMIN', accountId: session.account.id }
            : session.account.role === 'THERAPIST'
              ? { kind: 'THERAPIST', accountId: session.account.id, therapistId: session.account.therapist!.id }
              : { kind: 'MEMBER', accountId: session.account.id, memberId: session.account.member!.id };
        if (input.useCookie) {
          ctx.sessionCookie.set(session.token, session.expiresAt);
          return { token: null, expiresAt: session.expiresAt, viewer: viewer as never };
        }
        return { token: session.token, expiresAt: session.expiresAt, viewer: viewer as never };
      },
    );
  }

  @Authorized()
  @Mutation(() => LogoutPayload, { description: "Ends the caller's session; its token stops working at once." })
  logout(@Ctx() ctx: Context): Promise<LogoutPayload> {
    return payload(
      () => new LogoutPayload(),
      async () => {
        ctx.sessionCookie.clear();
        return { loggedOut: await logout(ctx) };
      },
    );
  }
}
