/**
 * Staff accounts: nobody grants themself access (docs/personal-identifiers.md, "Trust model").
 * An admin invites (no password of theirs in it: the invitee chooses one from the mailed link),
 * and a second admin — neither the inviter nor the account itself — approves; only then can the
 * account sign in. The first admin of an installation is made by an operator on the server
 * (`pnpm --filter @kindred/api kindred admin:create`), never through the API.
 */
import type { EntityManager } from '@mikro-orm/postgresql';
import { hashPassword } from '../../authz/credentials.js';
import type { Context } from '../../graphql/context.js';
import { forbidden } from '../../graphql/errors.js';
import { refuse, UserErrorCode, validateInput } from '../../graphql/user-errors.js';
import type { TherapistEntity } from '../therapists/index.js';
import { AccountEntity, AccountRole, AccountTokenPurpose } from './account.entity.js';
import {
  type AcceptInvitationInput,
  acceptInvitationSchema,
  type ApproveAdminInput,
  approveAdminSchema,
  type InviteAdminInput,
  inviteAdminSchema,
  type ResendInvitationInput,
  resendInvitationSchema,
} from './account.inputs.js';
import { activate, newAccount } from './account.service.js';
import { issueLink, redeemLink } from './account-tokens.js';

/** The inviting admin's account id: only admins invite. */
function inviterOf(ctx: Context): string {
  if (ctx.viewer.kind !== 'ADMIN') throw forbidden();
  return ctx.viewer.accountId;
}

/** A staff account (not yet usable) and its invitation mail, in `em`'s transaction. */
export async function inviteStaff(
  em: EntityManager,
  invitation: { email: string; role: AccountRole.ADMIN | AccountRole.THERAPIST; therapist?: TherapistEntity; invitedBy: string },
): Promise<AccountEntity> {
  const account = await newAccount(em, invitation);
  await issueLink(em, AccountTokenPurpose.INVITATION, { account });
  return account;
}

/** `inviteAdmin`: a new admin, who can sign in once it accepted and a second admin approved it. */
export async function inviteAdmin(ctx: Context, input: InviteAdminInput): Promise<AccountEntity> {
  const data = validateInput(inviteAdminSchema, input);
  const invitedBy = inviterOf(ctx);
  return ctx.em.transactional((em) => inviteStaff(em, { email: data.email, role: AccountRole.ADMIN, invitedBy }));
}

/**
 * `resendInvitation` (admins): a new invitation link to an account that has not accepted yet;
 * older links stop working. Refused (INVALID_STATE) once the invitation was accepted: from then
 * on only the owner resets its password, from its own inbox.
 */
export async function resendInvitation(ctx: Context, input: ResendInvitationInput): Promise<{ done: boolean }> {
  const { staffId } = validateInput(resendInvitationSchema, input);
  inviterOf(ctx);
  return ctx.em.transactional(async (em) => {
    const account = await em.findOne(
      AccountEntity,
      staffId.type === 'Admin' ? { id: staffId.id, role: AccountRole.ADMIN } : { therapist: staffId.id, role: AccountRole.THERAPIST },
    );
    if (!account || account.disabledAt) return refuse(UserErrorCode.NOT_FOUND, ['input', 'staffId'], 'No staff account with this ID.');
    if (account.activatedAt) {
      refuse(
        UserErrorCode.INVALID_STATE,
        ['input', 'staffId'],
        'This invitation was accepted: the account signs in (or resets its password) itself.',
      );
    }
    await issueLink(em, AccountTokenPurpose.INVITATION, { account });
    return { done: true };
  });
}

/** `acceptInvitation`: the invitee chooses its password from the mailed link. */
export async function acceptInvitation(ctx: Context, input: AcceptInvitationInput): Promise<{ done: boolean }> {
  const data = validateInput(acceptInvitationSchema, input);
  await ctx.attempts.consume([`link:ip:${ctx.clientIp}`]);
  return ctx.em.transactional(async (em) => {
    const token = await redeemLink(em, AccountTokenPurpose.INVITATION, data.token);
    const account = token.account!.getEntity();
    await activate(em, account);
    await setPassword(account, data.password);
    return { done: true };
  });
}

/** Sets an account's password (argon2id). */
export async function setPassword(account: AccountEntity, password: string): Promise<void> {
  account.passwordHash = await hashPassword(password);
}

/**
 * Approves a staff account, by an admin who neither invited it nor is it (SECOND_ADMIN_REQUIRED
 * on `field` otherwise). Approving twice changes nothing.
 */
export function approveStaff(ctx: Context, em: EntityManager, account: AccountEntity, field: string[]): AccountEntity {
  if (ctx.viewer.kind !== 'ADMIN') throw forbidden();
  const approver = ctx.viewer.accountId;
  if (account.invitedBy?.id === approver || account.id === approver) {
    refuse(UserErrorCode.SECOND_ADMIN_REQUIRED, field, 'Another admin than the one who invited this account must approve it.');
  }
  if (!account.approvedAt) {
    account.approvedAt = new Date();
    account.approvedBy = em.getReference(AccountEntity, approver, { wrapped: true });
  }
  return account;
}

/** `approveAdmin`. */
export async function approveAdmin(ctx: Context, input: ApproveAdminInput): Promise<AccountEntity> {
  const data = validateInput(approveAdminSchema, input);
  return ctx.em.transactional(async (em) => {
    const account = await em.findOne(AccountEntity, { id: data.adminId, role: AccountRole.ADMIN });
    if (!account) return refuse(UserErrorCode.NOT_FOUND, ['input', 'adminId'], 'No admin with this ID.');
    return approveStaff(ctx, em, account, ['input', 'adminId']);
  });
}
