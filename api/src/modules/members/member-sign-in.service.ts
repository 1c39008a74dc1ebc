/**
 * A member's own sign-in (docs/personal-identifiers.md, "Trust model"). A partner or an admin
 * registers members without any sign-in; the person asks for one with the address it was
 * registered with, the link goes to that address only, and following it makes the person's own
 * account, which serves every member record registered with that address (each referring partner
 * made its own).
 */
import { sql, sqlOf } from '../../db/sql.js';
import type { Context } from '../../graphql/context.js';
import { refuse, UserErrorCode, validateInput } from '../../graphql/user-errors.js';
import { hashPassword } from '../../authz/credentials.js';
import { emailIndex, emailKey } from '@kindred/crypto';
import {
  AccountRole,
  AccountTokenPurpose,
  activeAccountOf,
  issueLink,
  lockEmail,
  newAccount,
  redeemLink,
  tokenEmail,
} from '../accounts/index.js';
import {
  type ClaimMemberSignInInput,
  claimMemberSignInSchema,
  type RequestMemberSignInInput,
  requestMemberSignInSchema,
} from './member.inputs.js';

/**
 * `requestMemberSignIn`: anyone may ask. When the address already signs in, its owner gets a link to
 * set a new password; when member records with no sign-in were registered with it, a link to make
 * one. Otherwise nothing. The answer is always the same.
 */
export async function requestMemberSignIn(ctx: Context, input: RequestMemberSignInInput): Promise<{ accepted: boolean }> {
  const data = validateInput(requestMemberSignInSchema, input);
  await ctx.attempts.consume([`sign-in-request:ip:${ctx.clientIp}`, `sign-in-request:email:${emailKey(data.email)}`]);
  const index = emailIndex(data.email);
  await ctx.em.transactional(async (em) => {
    await lockEmail(em, index);
    const account = await activeAccountOf(em, index);
    if (account) {
      if (!account.disabledAt) await issueLink(em, AccountTokenPurpose.RESET_PASSWORD, { account });
      return;
    }
    const [waiting] = await (await sqlOf(em)).query(
      sql`select 1 from member_identity i join member m on m.id = i.member_id where i.email_index = ${index} and m.account_id is null limit 1`,
    );
    if (waiting) await issueLink(em, AccountTokenPurpose.MEMBER_SIGN_IN, { account: null, email: data.email });
  });
  return { accepted: true };
}

/** `claimMemberSignIn`: the person's own account, from the mailed link, linked to its member records. */
export async function claimMemberSignIn(ctx: Context, input: ClaimMemberSignInInput): Promise<{ done: boolean }> {
  const data = validateInput(claimMemberSignInSchema, input);
  await ctx.attempts.consume([`link:ip:${ctx.clientIp}`]);
  const passwordHash = await hashPassword(data.password);
  return ctx.em.transactional(async (em) => {
    const token = await redeemLink(em, AccountTokenPurpose.MEMBER_SIGN_IN, data.token);
    const index = token.emailIndex!;
    const email = await tokenEmail(em, token);
    await lockEmail(em, index);
    if (await activeAccountOf(em, index)) {
      refuse(
        UserErrorCode.EMAIL_TAKEN,
        ['input', 'token'],
        'This address already signs in to Kindred: sign in, or set a new password for it.',
      );
    }
    const account = await newAccount(em, { email, role: AccountRole.MEMBER, passwordHash });
    account.activatedAt = new Date();
    await em.flush();
    const linked = await (await sqlOf(em)).query(
      sql`update member m set account_id = ${account.id}
            from member_identity i where i.member_id = m.id and i.email_index = ${index} and m.account_id is null returning m.id`,
    );
    if (linked.length === 0) refuse(UserErrorCode.INVALID_TOKEN, ['input', 'token'], 'This link is not valid any more.');
    return { done: true };
  });
}
