/**
 * Emailed links: single-use, expiring, their secrets known only to the inbox they were mailed to.
 * A link is issued inside the transaction of the change that asks for it, together with the job
 * that mails it (`account-mail`, account.mail.ts); the job makes the secret and stores only its
 * hash. Redeeming takes the row's lock, so a link works exactly once even when followed twice at
 * the same instant.
 */
import { LockMode } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { secretHash } from '../../authz/credentials.js';
import { newId } from '../../db/ids.js';
import { sqlOf } from '../../db/sql.js';
import { refuse, UserErrorCode } from '../../graphql/user-errors.js';
import { enqueue } from '../../jobs/queue.js';
import { type AccountEntity, AccountTokenEntity, AccountTokenPurpose } from './account.entity.js';
import { sealedTokenFields } from './account-crypto.js';

/** How long each kind of link works. */
export const LINK_HOURS: Record<AccountTokenPurpose, number> = {
  [AccountTokenPurpose.INVITATION]: 72,
  [AccountTokenPurpose.VERIFY_EMAIL]: 24,
  [AccountTokenPurpose.RESET_PASSWORD]: 1,
  [AccountTokenPurpose.CHANGE_EMAIL]: 24,
  [AccountTokenPurpose.MEMBER_SIGN_IN]: 1,
};

/** The job that mails a link or a notice. */
export const ACCOUNT_MAIL_TASK = 'account-mail';

/**
 * Issues a link in `em`'s transaction and queues its mail in the same transaction. Earlier unused
 * links of the same purpose for the same account stop working: only the newest is valid.
 */
export async function issueLink(
  em: EntityManager,
  purpose: AccountTokenPurpose,
  target: { account: AccountEntity | null; email?: string | null },
): Promise<void> {
  if (target.account) {
    await em.nativeUpdate(AccountTokenEntity, { account: target.account.id, purpose, usedAt: null }, { usedAt: new Date() });
  }
  const token = em.create(AccountTokenEntity, {
    ...(target.email ? sealedTokenFields(em, newId(), target.email) : {}),
    purpose,
    account: target.account,
    expiresAt: new Date(Date.now() + LINK_HOURS[purpose] * 3600_000),
  });
  await em.flush();
  await enqueue(await sqlOf(em), ACCOUNT_MAIL_TASK, { tokenId: token.id });
}

/**
 * Issues a link with a secret the caller made and hands over itself, without mail: an operator
 * command on the server prints it.
 */
export async function issueLinkSecret(
  em: EntityManager,
  purpose: AccountTokenPurpose,
  account: AccountEntity,
  secret: string,
): Promise<void> {
  em.create(AccountTokenEntity, {
    purpose,
    account,
    tokenHash: secretHash(secret),
    expiresAt: new Date(Date.now() + LINK_HOURS[purpose] * 3600_000),
  });
  await em.flush();
}

/** Queues a notice about an account (no link) to its address, e.g. "someone tried to register with your address". */
export async function queueNotice(
  em: EntityManager,
  account: AccountEntity,
  notice: 'REGISTRATION_ATTEMPT' | 'EMAIL_CHANGE_REQUESTED',
): Promise<void> {
  await enqueue(await sqlOf(em), ACCOUNT_MAIL_TASK, { accountId: account.id, notice });
}

/**
 * Redeems a link in `em`'s transaction: the row is locked, must be of `purpose`, unused and
 * unexpired; it is marked used. Anything else is INVALID_TOKEN on `input.token`, the same
 * answer for a link that never existed, was used, or expired.
 */
export async function redeemLink(em: EntityManager, purpose: AccountTokenPurpose, secret: string): Promise<AccountTokenEntity> {
  const token = await em.findOne(
    AccountTokenEntity,
    { tokenHash: secretHash(secret), purpose },
    { lockMode: LockMode.PESSIMISTIC_WRITE, populate: ['account'] },
  );
  if (!token || token.usedAt || token.expiresAt.getTime() <= Date.now()) {
    return refuse(
      UserErrorCode.INVALID_TOKEN,
      ['input', 'token'],
      'This link is not valid any more: it was used, it expired, or a newer one was sent.',
    );
  }
  token.usedAt = new Date();
  return token;
}
