import type { EntityManager } from '@mikro-orm/postgresql';
import { hashPassword, newSecret, SESSION_PREFIX, secretHash, verifyPassword } from '../../authz/credentials.js';
import { sql, sqlOf } from '../../db/sql.js';
import type { Viewer } from '../../authz/viewer.js';
import type { Context } from '../../graphql/context.js';
import { refuse, UserErrorCode, validateInput } from '../../graphql/user-errors.js';
import type { MemberEntity } from '../members/index.js';
import type { TherapistEntity } from '../therapists/index.js';
import { AccountEntity, AccountRole, AuthSessionEntity } from './account.entity.js';
import { type LoginInput, loginSchema } from './account.inputs.js';

/** Sessions last 12 hours from sign-in; the admin app signs in again after that. */
const SESSION_HOURS = 12;

type AccountLink =
  | { role: AccountRole.ADMIN }
  | { role: AccountRole.THERAPIST; therapist: TherapistEntity }
  | { role: AccountRole.MEMBER; member: MemberEntity };

/**
 * Adds an account to the unit of work (flushed by the caller's transaction, which it must run
 * in). The email must be free: a taken email is the user error EMAIL_TAKEN on `field`.
 * Concurrent creations of the same email are serialised by a transaction-scoped advisory lock
 * on it, so the later one sees the earlier one's row and is refused, rather than failing on
 * the unique index at commit with an internal error.
 */
export async function createAccount(
  em: EntityManager,
  email: string,
  password: string,
  link: AccountLink,
  field: string[] = ['input', 'email'],
): Promise<AccountEntity> {
  const lockKey = `account-email:${email}`;
  await (await sqlOf(em)).query(sql`select pg_advisory_xact_lock(hashtextextended(${lockKey}, 0))`);
  if ((await em.count(AccountEntity, { email })) > 0)
    refuse(UserErrorCode.EMAIL_TAKEN, field, 'An account with this email already exists.');
  const account = em.create(AccountEntity, {
    email,
    passwordHash: await hashPassword(password),
    role: link.role,
    therapist: link.role === AccountRole.THERAPIST ? link.therapist : null,
    member: link.role === AccountRole.MEMBER ? link.member : null,
  });
  return account;
}

/** Starts a session for an account and returns its bearer token (only its hash is stored). */
export function startSession(em: EntityManager, account: AccountEntity): { token: string; expiresAt: Date } {
  const token = newSecret(SESSION_PREFIX);
  const expiresAt = new Date(Date.now() + SESSION_HOURS * 3600_000);
  em.create(AuthSessionEntity, { account, tokenHash: secretHash(token), expiresAt });
  return { token, expiresAt };
}

/** The viewer an account signs in as. */
function viewerOf(account: AccountEntity): Viewer {
  if (account.role === AccountRole.ADMIN) return { kind: 'ADMIN', accountId: account.id };
  if (account.role === AccountRole.THERAPIST) return { kind: 'THERAPIST', accountId: account.id, therapistId: account.therapist!.id };
  return { kind: 'MEMBER', accountId: account.id, memberId: account.member!.id };
}

/**
 * Checks credentials (unknown email and wrong password are the same INVALID_CREDENTIALS) and
 * starts a session: its token in the answer, or in the httpOnly cookie when `useCookie`.
 */
export async function login(ctx: Context, input: LoginInput): Promise<{ token: string | null; expiresAt: Date; viewer: Viewer }> {
  const { email, password, useCookie } = validateInput(loginSchema, input);
  await ctx.attempts.consume([`login:ip:${ctx.clientIp}`, `login:email:${email}`]);
  const account = await ctx.em.findOne(AccountEntity, { email, disabledAt: null });
  const ok = await verifyPassword(account?.passwordHash ?? null, password);
  if (!account || !ok) return refuse(UserErrorCode.INVALID_CREDENTIALS, null, 'The email or password is not correct.');
  const session = startSession(ctx.em, account);
  await ctx.em.flush();
  if (!useCookie) return { ...session, viewer: viewerOf(account) };
  ctx.sessionCookie.set(session.token, session.expiresAt);
  return { token: null, expiresAt: session.expiresAt, viewer: viewerOf(account) };
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
