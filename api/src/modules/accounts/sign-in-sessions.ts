/**
 * Every account can see where it is signed in and end any of those sessions (the one in use
 * included). Only its own: another account's session is NOT_FOUND, exactly as one that does not
 * exist.
 */
import { secretHash } from '../../authz/credentials.js';
import { pooledSql, sql } from '../../db/sql.js';
import type { Context } from '../../graphql/context.js';
import { forbidden } from '../../graphql/errors.js';
import { toGlobalId } from '../../graphql/ids.js';
import { refuse, UserErrorCode, validateInput } from '../../graphql/user-errors.js';
import { type RevokeSignInSessionInput, revokeSignInSessionSchema } from './account.inputs.js';

export interface SignInSessionView {
  id: string;
  signedInAt: Date;
  expiresAt: Date;
  lastUsedAt: Date | null;
  client: string | null;
  secondFactor: boolean;
  current: boolean;
}

function ownAccountId(ctx: Context): string {
  if (!('accountId' in ctx.viewer)) throw forbidden('Only a signed-in person has sessions (a partner uses API keys).');
  return ctx.viewer.accountId;
}

/** The caller's sessions that still work, newest first. */
export async function listSignInSessions(ctx: Context): Promise<SignInSessionView[]> {
  if (!('accountId' in ctx.viewer)) return [];
  const current = ctx.bearer ? secretHash(ctx.bearer) : '';
  const rows = await pooledSql(ctx.em).query<{
    id: string;
    created_at: Date;
    expires_at: Date;
    last_used_at: Date | null;
    client: string | null;
    second_factor: boolean;
    current: boolean;
  }>(
    sql`select id, created_at, expires_at, last_used_at, client, second_factor, token_hash = ${current} as current from auth_session
         where account_id = ${ctx.viewer.accountId} and revoked_at is null and expires_at > now() order by created_at desc, id`,
  );
  return rows.map((r) => ({
    id: toGlobalId('SignInSession', r.id),
    signedInAt: new Date(r.created_at),
    expiresAt: new Date(r.expires_at),
    lastUsedAt: r.last_used_at ? new Date(r.last_used_at) : null,
    client: r.client,
    secondFactor: r.second_factor,
    current: r.current,
  }));
}

/** `revokeSignInSession`: ends one of the caller's sessions. */
export async function revokeSignInSession(ctx: Context, input: RevokeSignInSessionInput): Promise<{ done: boolean }> {
  const data = validateInput(revokeSignInSessionSchema, input);
  const [ended] = await pooledSql(ctx.em).query(
    sql`update auth_session set revoked_at = now()
         where id = ${data.id} and account_id = ${ownAccountId(ctx)} and revoked_at is null and expires_at > now() returning id`,
  );
  if (!ended) refuse(UserErrorCode.NOT_FOUND, ['input', 'id'], 'You have no such session.');
  return { done: true };
}

/** `revokeOtherSignInSessions`: ends every session of the caller but the one it calls with. */
export async function revokeOtherSignInSessions(ctx: Context): Promise<{ revoked: number }> {
  const current = ctx.bearer ? secretHash(ctx.bearer) : '';
  const ended = await pooledSql(ctx.em).query(
    sql`update auth_session set revoked_at = now()
         where account_id = ${ownAccountId(ctx)} and revoked_at is null and token_hash <> ${current} returning id`,
  );
  return { revoked: ended.length };
}
