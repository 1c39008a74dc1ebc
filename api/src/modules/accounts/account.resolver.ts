import { Arg, Authorized, Ctx, FieldResolver, Mutation, Query, Resolver, Root } from 'type-graphql';
import type { Viewer as ViewerValue } from '../../authz/viewer.js';
import type { Context } from '../../graphql/context.js';
import { INPUT, mutate } from '../../graphql/payload.js';
import {
  AcceptInvitationInput,
  ChangeSignInEmailInput,
  ConfirmLinkInput,
  LoginInput,
  RequestPasswordResetInput,
  ResetPasswordInput,
} from './account.inputs.js';
import { login, logout } from './account.service.js';
import {
  AcceptInvitationPayload,
  ChangeSignInEmailPayload,
  ConfirmSignInEmailPayload,
  LoginPayload,
  LogoutPayload,
  RequestPasswordResetPayload,
  ResetPasswordPayload,
  VerifyEmailPayload,
  Viewer,
} from './account.types.js';
import { changeSignInEmail, confirmSignInEmail, requestPasswordReset, resetPassword, verifyEmail } from './password.service.js';
import { acceptInvitation } from './staff.service.js';

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

  @Mutation(() => AcceptInvitationPayload, {
    description:
      'Accepts an invitation from its mailed link, with the password its owner chose. A staff account signs in once a second admin approved it.',
  })
  acceptInvitation(@Arg('input', () => AcceptInvitationInput, INPUT) input: AcceptInvitationInput, @Ctx() ctx: Context) {
    return mutate(() => acceptInvitation(ctx, input));
  }

  @Mutation(() => VerifyEmailPayload, {
    description: "Confirms a self-registration's address from its mailed link; the account can sign in from now on.",
  })
  verifyEmail(@Arg('input', () => ConfirmLinkInput, INPUT) input: ConfirmLinkInput, @Ctx() ctx: Context) {
    return mutate(() => verifyEmail(ctx, input));
  }

  @Mutation(() => RequestPasswordResetPayload, {
    description:
      'Mails a link to set a new password to the account that signs in with this address, if there is one. Anyone may ask; the answer is always the same.',
  })
  requestPasswordReset(@Arg('input', () => RequestPasswordResetInput, INPUT) input: RequestPasswordResetInput, @Ctx() ctx: Context) {
    return mutate(() => requestPasswordReset(ctx, input));
  }

  @Mutation(() => ResetPasswordPayload, { description: 'Sets a new password from a mailed link; every session of the account ends.' })
  resetPassword(@Arg('input', () => ResetPasswordInput, INPUT) input: ResetPasswordInput, @Ctx() ctx: Context) {
    return mutate(() => resetPassword(ctx, input));
  }

  @Authorized('ADMIN', 'THERAPIST', 'MEMBER')
  @Mutation(() => ChangeSignInEmailPayload, {
    description:
      'Asks to sign in with another address (your password required): it changes once a link mailed to that address is followed; your current address is told.',
  })
  changeSignInEmail(@Arg('input', () => ChangeSignInEmailInput, INPUT) input: ChangeSignInEmailInput, @Ctx() ctx: Context) {
    return mutate(() => changeSignInEmail(ctx, input));
  }

  @Mutation(() => ConfirmSignInEmailPayload, { description: 'Confirms a new sign-in address from the link mailed to it.' })
  confirmSignInEmail(@Arg('input', () => ConfirmLinkInput, INPUT) input: ConfirmLinkInput, @Ctx() ctx: Context) {
    return mutate(() => confirmSignInEmail(ctx, input));
  }
}
