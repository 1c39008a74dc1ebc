/**
 * A person's own credentials, changed only by that person, proven by its inbox: confirming a
 * self-registration, setting a new password from a mailed link, moving the sign-in to another
 * address (confirmed from the new one, with a notice to the old). Every mutation here that takes
 * an address answers the same whatever the address is (docs/personal-identifiers.md).
 */
import { verifyPassword } from '../../authz/credentials.js';
import { emailIndex, emailKey } from '@kindred/crypto';
import type { Context } from '../../graphql/context.js';
import { forbidden } from '../../graphql/errors.js';
import { refuse, UserErrorCode, validateInput } from '../../graphql/user-errors.js';
import { AccountEntity, AccountTokenPurpose } from './account.entity.js';
import {
  type ChangeSignInEmailInput,
  changeSignInEmailSchema,
  type ConfirmLinkInput,
  confirmLinkSchema,
  type RequestPasswordResetInput,
  requestPasswordResetSchema,
  type ResetPasswordInput,
  resetPasswordSchema,
} from './account.inputs.js';
import { activate, activeAccountOf, endSessions, lockEmail } from './account.service.js';
import { setAccountEmail, tokenEmail } from './account-crypto.js';
import { issueLink, queueNotice, redeemLink } from './account-tokens.js';
import { setPassword } from './staff.service.js';

/** `verifyEmail`: a self-registration's link; the account can sign in from now on. */
export async function verifyEmail(ctx: Context, input: ConfirmLinkInput): Promise<{ done: boolean }> {
  const data = validateInput(confirmLinkSchema, input);
  await ctx.attempts.consume([`link:ip:${ctx.clientIp}`]);
  return ctx.em.transactional(async (em) => {
    const token = await redeemLink(em, AccountTokenPurpose.VERIFY_EMAIL, data.token);
    await activate(em, token.account!.getEntity());
    return { done: true };
  });
}

/** `requestPasswordReset`: a link to the account that signs in with the address, if there is one. Same answer either way. */
export async function requestPasswordReset(ctx: Context, input: RequestPasswordResetInput): Promise<{ accepted: boolean }> {
  const data = validateInput(requestPasswordResetSchema, input);
  await ctx.attempts.consume([`reset:ip:${ctx.clientIp}`, `reset:email:${emailKey(data.email)}`]);
  await ctx.em.transactional(async (em) => {
    const account = await activeAccountOf(em, emailIndex(data.email));
    if (account && !account.disabledAt) await issueLink(em, AccountTokenPurpose.RESET_PASSWORD, { account });
  });
  return { accepted: true };
}

/**
 * `resetPassword`: the new password from a mailed link; every session of the account ends. It
 * also activates an account whose password was voided (the owner proved its inbox).
 */
export async function resetPassword(ctx: Context, input: ResetPasswordInput): Promise<{ done: boolean }> {
  const data = validateInput(resetPasswordSchema, input);
  await ctx.attempts.consume([`link:ip:${ctx.clientIp}`]);
  return ctx.em.transactional(async (em) => {
    const token = await redeemLink(em, AccountTokenPurpose.RESET_PASSWORD, data.token);
    const account = token.account!.getEntity();
    await activate(em, account);
    await setPassword(account, data.password);
    await endSessions(em, account.id);
    return { done: true };
  });
}

/**
 * `changeSignInEmail`: the signed-in person, with its password, asks to sign in with another
 * address; a link goes to the new address and a notice to the current one. Nothing changes until
 * the link is followed, and the answer is the same whether the new address is free or taken.
 */
export async function changeSignInEmail(ctx: Context, input: ChangeSignInEmailInput): Promise<{ accepted: boolean }> {
  const { viewer } = ctx;
  if (viewer.kind !== 'ADMIN' && viewer.kind !== 'THERAPIST' && viewer.kind !== 'MEMBER') throw forbidden();
  const data = validateInput(changeSignInEmailSchema, input);
  await ctx.attempts.consume([`login:email:${viewer.accountId}`]);
  return ctx.em.transactional(async (em) => {
    const account = await em.findOneOrFail(AccountEntity, { id: viewer.accountId });
    if (!(await verifyPassword(account.passwordHash ?? null, data.password))) {
      refuse(UserErrorCode.INVALID_CREDENTIALS, ['input', 'password'], 'The password is not correct.');
    }
    await issueLink(em, AccountTokenPurpose.CHANGE_EMAIL, { account, email: data.newEmail });
    await queueNotice(em, account, 'EMAIL_CHANGE_REQUESTED');
    return { accepted: true };
  });
}

/** `confirmSignInEmail`: the link sent to the new address; the account signs in with it from now on. */
export async function confirmSignInEmail(ctx: Context, input: ConfirmLinkInput): Promise<{ done: boolean }> {
  const data = validateInput(confirmLinkSchema, input);
  await ctx.attempts.consume([`link:ip:${ctx.clientIp}`]);
  return ctx.em.transactional(async (em) => {
    const token = await redeemLink(em, AccountTokenPurpose.CHANGE_EMAIL, data.token);
    const account = token.account!.getEntity();
    const email = await tokenEmail(em, token);
    await lockEmail(em, token.emailIndex!);
    const holder = await activeAccountOf(em, token.emailIndex!);
    if (holder && holder.id !== account.id) {
      refuse(UserErrorCode.EMAIL_TAKEN, ['input', 'token'], 'Another Kindred account already signs in with this address.');
    }
    await setAccountEmail(em, account, email);
    return { done: true };
  });
}
