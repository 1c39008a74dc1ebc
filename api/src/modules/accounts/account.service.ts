import type { EntityManager } from '@mikro-orm/postgresql';
import { newSecret, SESSION_PREFIX, secretHash, verifyPassword } from '../../authz/credentials.js';
import { emailIndex, emailKey } from '@kindred/crypto';
import { newId } from '../../db/ids.js';
import { sql, sqlOf } from '../../db/sql.js';
import type { Viewer } from '../../authz/viewer.js';
import type { Context } from '../../graphql/context.js';
import { refuse, type UserError, UserErrorCode, validateInput } from '../../graphql/user-errors.js';
import type { TherapistEntity } from '../therapists/index.js';
import { AccountEntity, AccountRole, AuthSessionEntity } from './account.entity.js';
import { type LoginInput, loginSchema } from './account.inputs.js';
import { ACCOUNT_ROW, viewerOfAccount } from './authenticate.js';
import { type EmailIndex, sealedAccountFields } from './account-crypto.js';
import { completeSetup, isStaff, pendingSetup, spendOneTimeCode } from './second-factor.js';

/** Sessions last 12 hours from sign-in; the admin app signs in again after that. */
const SESSION_HOURS = 12;

/** Serialises, per address (its blind index), the transactions that look at and then claim it. */
export async function lockEmail(em: EntityManager, index: EmailIndex): Promise<void> {
  const lockKey = `account-email:${index.toString('base64')}`;
  await (await sqlOf(em)).query(sql`select pg_advisory_xact_lock(hashtextextended(${lockKey}, 0))`);
}

/** The activated account that signs in with the address of blind index `index`, if any (call `lockEmail` first to act on the answer). */
export function activeAccountOf(em: EntityManager, index: EmailIndex): Promise<AccountEntity | null> {
  return em.findOne(AccountEntity, { emailIndex: index, activatedAt: { $ne: null } });
}

/**
 * Activates an account whose owner proved the inbox (an invitation, a confirmation link): refused
 * with EMAIL_TAKEN, told only to that owner, when another account signs in with the address now.
 */
export async function activate(em: EntityManager, account: AccountEntity): Promise<void> {
  await lockEmail(em, account.emailIndex);
  const holder = await activeAccountOf(em, account.emailIndex);
  if (holder && holder.id !== account.id) {
    refuse(
      UserErrorCode.EMAIL_TAKEN,
      ['input', 'token'],
      'Another Kindred account already signs in with this address: sign in with it, or set a new password for it.',
    );
  }
  account.activatedAt ??= new Date();
}

export interface NewAccount {
  email: string;
  role: AccountRole;
  therapist?: TherapistEntity | null;
  invitedBy?: string | null;
  /** Set by the owner (self-registration), already hashed; staff choose theirs when they accept the invitation. */
  passwordHash?: string;
}

/** Adds an account, not yet activated, to `em`'s unit of work (the caller's transaction flushes it). */
export async function newAccount(em: EntityManager, account: NewAccount): Promise<AccountEntity> {
  return em.create(AccountEntity, {
    ...sealedAccountFields(em, newId(), account.email),
    role: account.role,
    therapist: account.therapist ?? null,
    invitedBy: account.invitedBy ?? null,
    passwordHash: account.passwordHash ?? null,
    activatedAt: null,
  });
}

/** Starts a session for an account and returns its bearer token (only its hash is stored). */
function startSession(
  em: EntityManager,
  account: AccountEntity,
  how: { client: string | null; secondFactor: boolean },
): { token: string; expiresAt: Date } {
  const token = newSecret(SESSION_PREFIX);
  const expiresAt = new Date(Date.now() + SESSION_HOURS * 3600_000);
  em.create(AuthSessionEntity, { account, tokenHash: secretHash(token), expiresAt, client: how.client, secondFactor: how.secondFactor });
  return { token, expiresAt };
}

/**
 * Checks credentials (an unknown address, a wrong password and an account that is not activated
 * are the same INVALID_CREDENTIALS) and starts a session: its token in the answer, or in the
 * httpOnly cookie when `useCookie`. A staff account waiting for a second admin's approval is
 * told so (NOT_APPROVED) once its password is right. Staff with a second factor must add its
 * code (ONE_TIME_CODE_REQUIRED, INVALID_ONE_TIME_CODE); where staff must use one and have none
 * yet, the answer carries the setup to add to an authenticator app (SECOND_FACTOR_SETUP_REQUIRED)
 * and the next sign-in with its first code turns it on and answers the recovery codes.
 */
export async function login(ctx: Context, input: LoginInput): Promise<LoginResult> {
  const { email, password, oneTimeCode, useCookie } = validateInput(loginSchema, input);
  await ctx.attempts.consume([`login:ip:${ctx.clientIp}`, `login:email:${emailKey(email)}`]);
  return ctx.em.transactional(async (em) => {
    const account = await em.findOne(AccountEntity, { emailIndex: emailIndex(email), activatedAt: { $ne: null }, disabledAt: null });
    const ok = await verifyPassword(account?.passwordHash ?? null, password);
    if (!account || !ok) return refuse(UserErrorCode.INVALID_CREDENTIALS, null, 'The email or password is not correct.');
    if (account.role !== AccountRole.MEMBER && !account.approvedAt) {
      return refuse(UserErrorCode.NOT_APPROVED, null, "Your account waits for an admin's approval; you can sign in once it is approved.");
    }
    const second = await secondFactorOf(ctx, em, account, oneTimeCode ?? null);
    if ('refused' in second) return second.refused;
    const [row] = await (await sqlOf(em)).query<Parameters<typeof viewerOfAccount>[0]>(
      sql`select ${ACCOUNT_ROW} from account a where a.id = ${account.id}`,
    );
    const viewer = row ? viewerOfAccount(row) : null;
    if (!viewer) return refuse(UserErrorCode.INVALID_CREDENTIALS, null, 'The email or password is not correct.');
    const session = startSession(em, account, { client: ctx.userAgent, secondFactor: second.passed });
    const recoveryCodes = second.recoveryCodes ?? null;
    if (!useCookie) return { ...session, viewer, recoveryCodes };
    ctx.sessionCookie.set(session.token, session.expiresAt);
    return { token: null, expiresAt: session.expiresAt, viewer, recoveryCodes };
  });
}

type LoginResult =
  | { token: string | null; expiresAt: Date; viewer: Viewer; recoveryCodes: string[] | null }
  | { secondFactorSetup: { secret: string; uri: string }; userErrors: UserError[] };

/** The second-factor step of a staff sign-in: passed (and how), or the answer that stops it. */
async function secondFactorOf(
  ctx: Context,
  em: EntityManager,
  account: AccountEntity,
  code: string | null,
): Promise<{ passed: boolean; recoveryCodes?: string[] } | { refused: LoginResult }> {
  if (!isStaff(account)) return { passed: false };
  if (account.totpEnabledAt) {
    if (!code) return refuse(UserErrorCode.ONE_TIME_CODE_REQUIRED, ['input', 'oneTimeCode'], 'Enter the code from your authenticator app.');
    await ctx.attempts.consume([`second-factor:${account.id}`]);
    if (!(await spendOneTimeCode(em, account, code))) {
      return refuse(UserErrorCode.INVALID_ONE_TIME_CODE, ['input', 'oneTimeCode'], 'This code is not right, or was already used.');
    }
    return { passed: true };
  }
  if (ctx.staffSecondFactor !== 'required') return { passed: false };
  if (code && account.totpPendingSecret) {
    await ctx.attempts.consume([`second-factor:${account.id}`]);
    const recoveryCodes = await completeSetup(em, account, code);
    if (recoveryCodes) return { passed: true, recoveryCodes };
    return refuse(
      UserErrorCode.INVALID_ONE_TIME_CODE,
      ['input', 'oneTimeCode'],
      'This code is not right. Check the time on your phone and try the next code.',
    );
  }
  return {
    refused: {
      secondFactorSetup: await pendingSetup(em, account),
      userErrors: [
        {
          code: UserErrorCode.SECOND_FACTOR_SETUP_REQUIRED,
          field: ['input', 'oneTimeCode'],
          message: 'Staff sign in with a second factor here: add the setup to an authenticator app, then sign in again with its code.',
        },
      ],
    },
  };
}

/** Ends every session of an account (after its password changed, say). */
export async function endSessions(em: EntityManager, accountId: string): Promise<void> {
  await em.nativeUpdate(AuthSessionEntity, { account: accountId, revokedAt: null }, { revokedAt: new Date() });
}

/** Revokes the session whose token the request carries, and clears the session cookie. */
export async function logout(ctx: Context): Promise<boolean> {
  ctx.sessionCookie.clear();
  if (!ctx.bearer?.startsWith(SESSION_PREFIX)) return false;
  const revoked = await ctx.em.nativeUpdate(
    AuthSessionEntity,
    { tokenHash: secretHash(ctx.bearer), revokedAt: null },
    { revokedAt: new Date() },
  );
  return revoked > 0;
}
