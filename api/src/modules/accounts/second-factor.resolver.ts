import { Arg, Authorized, Ctx, FieldResolver, Mutation, Resolver, Root } from 'type-graphql';
import type { Viewer as ViewerValue } from '../../authz/viewer.js';
import type { Context } from '../../graphql/context.js';
import { INPUT, mutate } from '../../graphql/payload.js';
import { OneTimeCodeInput, RemoveSecondFactorInput, RevokeSignInSessionInput } from './account.inputs.js';
import { Viewer } from './account.types.js';
import {
  beginSecondFactorSetup,
  confirmSecondFactorSetup,
  regenerateRecoveryCodes,
  removeSecondFactor,
  secondFactorStatus,
} from './second-factor.js';
import {
  RecoveryCodesPayload,
  RemoveSecondFactorPayload,
  RevokeOtherSignInSessionsPayload,
  RevokeSignInSessionPayload,
  SecondFactorSetupPayload,
  SecondFactorStatus,
  SignInSession,
} from './second-factor.types.js';
import { listSignInSessions, revokeOtherSignInSessions, revokeSignInSession } from './sign-in-sessions.js';

/** A signed-in person's own sign-in: its address, its sessions and (staff) its second factor. */
@Resolver(() => Viewer)
export class SignInResolver {
  @FieldResolver(() => SecondFactorStatus, {
    nullable: true,
    description: 'Staff: your second factor. Null for members, partners and anonymous callers.',
  })
  secondFactor(@Root() viewer: ViewerValue, @Ctx() ctx: Context) {
    return viewer.kind === 'ADMIN' || viewer.kind === 'THERAPIST' ? secondFactorStatus(ctx, viewer.accountId) : null;
  }

  @FieldResolver(() => String, {
    nullable: true,
    description:
      'Staff: the address you sign in with (change it with `changeSignInEmail`). Null for members (their address is a personal identifier, read as `Member.email`), partners and anonymous callers.',
  })
  async signInEmail(@Root() viewer: ViewerValue, @Ctx() ctx: Context): Promise<string | null> {
    if (viewer.kind !== 'ADMIN' && viewer.kind !== 'THERAPIST') return null;
    return ctx.loaders.accountEmail.load(viewer.accountId);
  }

  @FieldResolver(() => [SignInSession], {
    description: 'Where you are signed in, newest first (empty for partners and anonymous callers).',
  })
  signInSessions(@Ctx() ctx: Context) {
    return listSignInSessions(ctx);
  }

  @Authorized('ADMIN', 'THERAPIST')
  @Mutation(() => SecondFactorSetupPayload, {
    description: 'Staff: starts setting up an authenticator app as your second factor; confirm with `confirmSecondFactorSetup`.',
  })
  beginSecondFactorSetup(@Ctx() ctx: Context) {
    return mutate(() => beginSecondFactorSetup(ctx));
  }

  @Authorized('ADMIN', 'THERAPIST')
  @Mutation(() => RecoveryCodesPayload, {
    description: "Staff: the authenticator's first code turns your second factor on; answers your recovery codes.",
  })
  confirmSecondFactorSetup(@Arg('input', () => OneTimeCodeInput, INPUT) input: OneTimeCodeInput, @Ctx() ctx: Context) {
    return mutate(() => confirmSecondFactorSetup(ctx, input));
  }

  @Authorized('ADMIN', 'THERAPIST')
  @Mutation(() => RecoveryCodesPayload, { description: 'Staff: new recovery codes (the earlier ones stop working), with a current code.' })
  regenerateRecoveryCodes(@Arg('input', () => OneTimeCodeInput, INPUT) input: OneTimeCodeInput, @Ctx() ctx: Context) {
    return mutate(() => regenerateRecoveryCodes(ctx, input));
  }

  @Authorized('ADMIN', 'THERAPIST')
  @Mutation(() => RemoveSecondFactorPayload, {
    description: 'Staff: stops asking for a code at sign-in (refused where staff must use a second factor), with your password and a code.',
  })
  removeSecondFactor(@Arg('input', () => RemoveSecondFactorInput, INPUT) input: RemoveSecondFactorInput, @Ctx() ctx: Context) {
    return mutate(() => removeSecondFactor(ctx, input));
  }

  @Authorized('ADMIN', 'THERAPIST', 'MEMBER')
  @Mutation(() => RevokeSignInSessionPayload, { description: 'Ends one of your sessions; its token stops working at once.' })
  revokeSignInSession(@Arg('input', () => RevokeSignInSessionInput, INPUT) input: RevokeSignInSessionInput, @Ctx() ctx: Context) {
    return mutate(() => revokeSignInSession(ctx, input));
  }

  @Authorized('ADMIN', 'THERAPIST', 'MEMBER')
  @Mutation(() => RevokeOtherSignInSessionsPayload, { description: 'Ends every one of your sessions but the one you call with.' })
  revokeOtherSignInSessions(@Ctx() ctx: Context) {
    return mutate(() => revokeOtherSignInSessions(ctx));
  }
}
