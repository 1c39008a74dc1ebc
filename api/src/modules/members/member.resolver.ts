import { Arg, Args, ArgsType, Authorized, Ctx, Field, FieldResolver, ID, Mutation, Query, Resolver, Root } from 'type-graphql';
import type { Viewer as ViewerValue } from '../../authz/viewer.js';
import type { View } from '../../db/views.js';
import { PageArgs } from '../../graphql/connection.js';
import type { Context } from '../../graphql/context.js';
import { parseGlobalId } from '../../graphql/ids.js';
import { loadVisible } from '../../graphql/node.js';
import { INPUT, mutate } from '../../graphql/payload.js';
import { Viewer } from '../accounts/index.js';
import { Partner } from '../partners/index.js';
import type { MemberEntity } from './member.entity.js';
import { CreateMemberAccountInput, RegisterMemberInput } from './member.inputs.js';
import { createMemberAccount, listMembers, registerMember } from './member.service.js';
import { CreateMemberAccountPayload, EmergencyContact, Member, MemberConnection, RegisterMemberPayload } from './member.types.js';

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
      'Registers a member. A partner registers members it refers, an admin anyone, and a person without credentials themself (password required; returns a session token).',
  })
  registerMember(@Arg('input', () => RegisterMemberInput, INPUT) input: RegisterMemberInput, @Ctx() ctx: Context) {
    return mutate(() => registerMember(ctx, input));
  }

  @Authorized('ADMIN', 'PARTNER')
  @Mutation(() => CreateMemberAccountPayload, {
    description: "Gives a member registered without a password a sign-in account (their email). The member's partner or an admin.",
  })
  createMemberAccount(@Arg('input', () => CreateMemberAccountInput, INPUT) input: CreateMemberAccountInput, @Ctx() ctx: Context) {
    return mutate(async () => ({ member: await createMemberAccount(ctx, input) }));
  }
}

@Resolver(() => Viewer)
export class ViewerMemberResolver {
  @FieldResolver(() => Member, { nullable: true, description: 'The signed-in member, when the caller is a member.' })
  member(@Root() viewer: ViewerValue, @Ctx() ctx: Context) {
    return viewer.kind === 'MEMBER' ? ctx.loaders.member.load(viewer.memberId) : null;
  }
}
