import { Arg, Args, Authorized, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root } from 'type-graphql';
import { isAdmin } from '../../authz/rules.js';
import { sql } from '../../db/sql.js';
import { connectionOf, PageArgs, paginate } from '../../graphql/connection.js';
import type { Context } from '../../graphql/context.js';
import { parseGlobalId } from '../../graphql/ids.js';
import { loadVisible, registerNode } from '../../graphql/node.js';
import { AccountEntity, AccountRole } from './account.entity.js';
import type { View } from '../../db/views.js';
import { INPUT, mutate } from '../../graphql/payload.js';
import { ApproveAdminInput, InviteAdminInput, ResendInvitationInput } from './account.inputs.js';
import { Admin, AdminPayload, ResendInvitationPayload, StaffAccountStatus } from './account.types.js';
import { approveAdmin, inviteAdmin, resendInvitation } from './staff.service.js';

/** Where a staff account stands (also `Therapist.accountStatus`). */
export function staffStatusOf(account: View<AccountEntity>): StaffAccountStatus {
  if (account.disabledAt) return StaffAccountStatus.DISABLED;
  if (!account.activatedAt) return StaffAccountStatus.INVITED;
  return account.approvedAt ? StaffAccountStatus.ACTIVE : StaffAccountStatus.AWAITING_APPROVAL;
}

registerNode({
  typeName: 'Admin',
  entity: AccountEntity,
  load: async (ctx, id) => {
    const account = await ctx.loaders.account.load(id);
    return account?.role === AccountRole.ADMIN ? account : null;
  },
  visible: (ctx) => isAdmin(ctx.viewer),
});

const AdminConnection = connectionOf(Admin, 'Admin', 'admin');

@Resolver(() => Admin)
export class AdminResolver {
  @Authorized('ADMIN')
  @Query(() => AdminConnection, { description: 'Admin accounts, oldest first. Admins only.' })
  admins(@Args() page: PageArgs, @Ctx() ctx: Context) {
    return paginate(ctx, AccountEntity, sql`t.role = 'ADMIN'`, page);
  }

  @Authorized('ADMIN')
  @Query(() => Admin, { nullable: true, description: 'One admin account. Admins only.' })
  admin(@Arg('id', () => ID, { description: 'Global ID of an Admin.' }) id: string, @Ctx() ctx: Context) {
    return loadVisible(ctx, 'Admin', parseGlobalId(id, 'Admin'));
  }

  @FieldResolver(() => String, {
    description: 'The address the admin signs in with (staff, not a member: not a personal identifier of the platform).',
  })
  email(@Root() account: View<AccountEntity>, @Ctx() ctx: Context) {
    return ctx.loaders.accountEmail.load(account.id);
  }

  @FieldResolver(() => StaffAccountStatus, { description: 'Where the account stands.' })
  status(@Root() account: View<AccountEntity>): StaffAccountStatus {
    return staffStatusOf(account);
  }

  @FieldResolver(() => Admin, { nullable: true, description: 'The admin who invited it; null for the first admin, made on the server.' })
  invitedBy(@Root() account: View<AccountEntity>, @Ctx() ctx: Context) {
    return account.invitedBy ? ctx.loaders.account.load(account.invitedBy.id) : null;
  }

  @FieldResolver(() => Admin, { nullable: true, description: 'The admin who approved it.' })
  approvedBy(@Root() account: View<AccountEntity>, @Ctx() ctx: Context) {
    return account.approvedBy ? ctx.loaders.account.load(account.approvedBy.id) : null;
  }

  @Authorized('ADMIN')
  @Mutation(() => AdminPayload, {
    description:
      'Invites someone as an admin: a link to choose a password goes to the address. It signs in once an admin other than you approved it. Admins only.',
  })
  inviteAdmin(@Arg('input', () => InviteAdminInput, INPUT) input: InviteAdminInput, @Ctx() ctx: Context) {
    return mutate(async () => ({ admin: await inviteAdmin(ctx, input) }));
  }

  @Authorized('ADMIN')
  @Mutation(() => AdminPayload, { description: 'Approves an admin account; not by the admin who invited it, nor by itself. Admins only.' })
  approveAdmin(@Arg('input', () => ApproveAdminInput, INPUT) input: ApproveAdminInput, @Ctx() ctx: Context) {
    return mutate(async () => ({ admin: await approveAdmin(ctx, input) }));
  }

  @Authorized('ADMIN')
  @Mutation(() => ResendInvitationPayload, {
    description:
      'Mails a new invitation link to an admin or a therapist that has not accepted its invitation yet (earlier links stop working). Admins only.',
  })
  resendInvitation(@Arg('input', () => ResendInvitationInput, INPUT) input: ResendInvitationInput, @Ctx() ctx: Context) {
    return mutate(() => resendInvitation(ctx, input));
  }
}
