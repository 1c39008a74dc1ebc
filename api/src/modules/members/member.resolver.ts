import { Arg, Args, ArgsType, Authorized, Ctx, Field, FieldResolver, ID, Mutation, Query, Resolver, Root } from 'type-graphql';
import type { Viewer as ViewerValue } from '../../authz/viewer.js';
import type { View } from '../../db/views.js';
import { PageArgs } from '../../graphql/connection.js';
import type { Context } from '../../graphql/context.js';
import { parseGlobalId } from '../../graphql/ids.js';
import { loadVisible } from '../../graphql/node.js';
import { INPUT, mutate } from '../../graphql/payload.js';
import { Viewer } from '../accounts/index.js';
import { IdentifierReadConnection, listIdentifierReads } from '../audit/index.js';
import { Partner } from '../partners/index.js';
import type { MemberEntity } from './member.entity.js';
import { ClaimMemberSignInInput, RegisterMemberInput, RequestMemberSignInInput } from './member.inputs.js';
import { claimMemberSignIn, requestMemberSignIn } from './member-sign-in.service.js';
import { listMembers, registerMember } from './member.service.js';
import {
  ClaimMemberSignInPayload,
  EmergencyContact,
  Member,
  MemberConnection,
  RegisterMemberPayload,
  RequestMemberSignInPayload,
} from './member.types.js';

@ArgsType()
class MembersArgs extends PageArgs {
  @Field(() => ID, {
    nullable: true,
    description: 'Only members with an active (held, confirmed or waitlisted) reservation in this group.',
  })
  groupId?: string | null;

  @Field(() => String, { nullable: true, description: 'Only members whose display name contains this text (case-insensitive).' })
  displayNameContains?: string | null;
}

@Resolver(() => Member)
export class MemberResolver {
  @Authorized()
  @Query(() => MemberConnection, {
    description:
      'Members you may see, by display name: admins all, a partner its referred members, a therapist the members of its groups, a member itself.',
  })
  members(@Args() args: MembersArgs, @Ctx() ctx: Context) {
    const groupId = args.groupId ? parseGlobalId(args.groupId, 'Group') : null;
    return listMembers(ctx, args, { groupId, displayNameContains: args.displayNameContains?.slice(0, 60) });
  }

  @Query(() => Member, { nullable: true, description: 'One member; null with NOT_FOUND when it does not exist or you may not see it.' })
  member(@Arg('id', () => ID, { description: 'Global ID of a Member.' }) id: string, @Ctx() ctx: Context) {
    return loadVisible(ctx, 'Member', parseGlobalId(id, 'Member'));
  }

  @FieldResolver(() => Partner, { nullable: true, description: 'The partner organisation that referred the member, if any.' })
  partner(@Root() member: View<MemberEntity>, @Ctx() ctx: Context) {
    return member.partner ? ctx.loaders.partner.load(member.partner.id) : null;
  }

  @FieldResolver(() => IdentifierReadConnection, {
    nullable: true,
    description:
      'Who read your personal identifiers: every audited read, newest first — when, whether it was you or a therapist (by display name), which fields, in which operation. Only the member itself reads this list (signed in with its own sign-in); anyone else, its therapists and partner included, gets null with a FORBIDDEN error. Reading the list is not itself audited: it holds no identifier.',
  })
  identifierReads(@Root() member: View<MemberEntity>, @Args() page: PageArgs, @Ctx() ctx: Context) {
    return listIdentifierReads(ctx, member.id, page);
  }

  @FieldResolver(() => String, { nullable: true })
  async legalName(@Root() member: View<MemberEntity>, @Ctx() ctx: Context) {
    return (await ctx.loaders.identityOfMember.load(member.id))?.legalName ?? null;
  }

  @FieldResolver(() => String, { nullable: true })
  async email(@Root() member: View<MemberEntity>, @Ctx() ctx: Context) {
    return (await ctx.loaders.identityOfMember.load(member.id))?.email ?? null;
  }

  @FieldResolver(() => String, { nullable: true })
  async phone(@Root() member: View<MemberEntity>, @Ctx() ctx: Context) {
    return (await ctx.loaders.identityOfMember.load(member.id))?.phone ?? null;
  }

  @FieldResolver(() => String, { nullable: true })
  async dateOfBirth(@Root() member: View<MemberEntity>, @Ctx() ctx: Context) {
    return (await ctx.loaders.identityOfMember.load(member.id))?.dateOfBirth ?? null;
  }

  @FieldResolver(() => EmergencyContact, { nullable: true })
  async emergencyContact(@Root() member: View<MemberEntity>, @Ctx() ctx: Context): Promise<EmergencyContact | null> {
    const identity = await ctx.loaders.identityOfMember.load(member.id);
    if (!identity?.emergencyContactName || !identity.emergencyContactPhone) return null;
    return {
      name: identity.emergencyContactName,
      phone: identity.emergencyContactPhone,
      relationship: identity.emergencyContactRelationship ?? null,
    };
  }

  @Mutation(() => RegisterMemberPayload, {
    description:
      'Registers a member. A partner registers members it refers, an admin anyone — without a sign-in; a person without credentials registers themself with a password and confirms the address from a mailed link before signing in (the answer is the same whether the address is new or taken).',
  })
  registerMember(@Arg('input', () => RegisterMemberInput, INPUT) input: RegisterMemberInput, @Ctx() ctx: Context) {
    return mutate(() => registerMember(ctx, input));
  }

  @Mutation(() => RequestMemberSignInPayload, {
    description:
      'A person asks for its own sign-in with the address it was registered with. A link goes to that address only; the answer is the same whatever the address. Anyone may ask.',
  })
  requestMemberSignIn(@Arg('input', () => RequestMemberSignInInput, INPUT) input: RequestMemberSignInInput, @Ctx() ctx: Context) {
    return mutate(() => requestMemberSignIn(ctx, input));
  }

  @Mutation(() => ClaimMemberSignInPayload, {
    description:
      "Makes a person's own sign-in from the mailed link, with the password it chose; it serves every member record registered with that address.",
  })
  claimMemberSignIn(@Arg('input', () => ClaimMemberSignInInput, INPUT) input: ClaimMemberSignInInput, @Ctx() ctx: Context) {
    return mutate(() => claimMemberSignIn(ctx, input));
  }
}

@Resolver(() => Viewer)
export class ViewerMemberResolver {
  @FieldResolver(() => Member, { nullable: true, description: 'The signed-in member, when the caller is a member.' })
  member(@Root() viewer: ViewerValue, @Ctx() ctx: Context) {
    return viewer.kind === 'MEMBER' ? ctx.loaders.member.load(viewer.memberId) : null;
  }
}
