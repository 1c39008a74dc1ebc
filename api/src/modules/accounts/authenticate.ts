import type { EntityManager } from '@mikro-orm/postgresql';
import { GraphQLError } from 'graphql';
import { API_KEY_PREFIX, SESSION_PREFIX, secretHash } from '../../authz/credentials.js';
import { ANONYMOUS, type Viewer } from '../../authz/viewer.js';
import { pooledSql, sql } from '../../db/sql.js';
import { ErrorCode } from '../../graphql/errors.js';

const rejected = (message: string) => new GraphQLError(message, { extensions: { code: ErrorCode.UNAUTHENTICATED, http: { status: 401 } } });

/**
 * Resolves the viewer from `Authorization: Bearer <token>` in one SQL statement (plain pg: it runs
 * on every authenticated request). No header is
 * anonymous; a token that is malformed, unknown, expired or revoked is refused outright rather
 * than silently downgraded to anonymous, so a client notices a lapsed session.
 */
export async function authenticate(
  em: EntityManager,
  authorization: string | undefined,
  staffSecondFactor: 'required' | 'optional',
): Promise<Viewer> {
  if (!authorization) return ANONYMOUS;
  const match = /^Bearer ([A-Za-z0-9_-]{10,200})$/.exec(authorization.trim());
  const token = match?.[1];
  if (!token) throw rejected('The Authorization header must be "Bearer <token>".');
  if (token.startsWith(SESSION_PREFIX)) return sessionViewer(em, token, staffSecondFactor === 'required');
  if (token.startsWith(API_KEY_PREFIX)) return partnerViewer(em, token);
  throw rejected('This token is not valid.');
}

/** An account as authentication reads it: usable when activated and, for staff, approved. */
interface AccountRow {
  account_id: string;
  role: string;
  therapist_id: string | null;
  member_ids: string[] | null;
}

/** The columns of `AccountRow` for the account aliased `a`, members oldest first. */
export const ACCOUNT_ROW = sql`a.id as account_id, a.role, a.therapist_id,
  array(select m.id from member m where m.account_id = a.id order by m.created_at, m.id) as member_ids`;

/** Which accounts may act: activated by their owner, not disabled, and (staff) approved by a second admin. */
const USABLE_ACCOUNT = sql`a.activated_at is not null and a.disabled_at is null and (a.role = 'MEMBER' or a.approved_at is not null)`;

/** The viewer an account acts as; null for a member account that serves no member record. */
export function viewerOfAccount(row: AccountRow): Viewer | null {
  if (row.role === 'ADMIN') return { kind: 'ADMIN', accountId: row.account_id };
  if (row.role === 'THERAPIST' && row.therapist_id) return { kind: 'THERAPIST', accountId: row.account_id, therapistId: row.therapist_id };
  const memberIds = row.member_ids ?? [];
  if (row.role === 'MEMBER' && memberIds.length > 0)
    return { kind: 'MEMBER', accountId: row.account_id, memberId: memberIds[0]!, memberIds };
  return null;
}

/** Where staff must use a second factor, a staff session that signed in without one does not work. */
async function sessionViewer(em: EntityManager, token: string, staffNeedSecondFactor: boolean): Promise<Viewer> {
  // last_used_at is refreshed at most every five minutes, in the same statement as the lookup.
  const [row] = await pooledSql(em).query<AccountRow>(sql`with s as (
         select s.id, s.account_id, s.last_used_at from auth_session s join account a on a.id = s.account_id
          where s.token_hash = ${secretHash(token)} and s.revoked_at is null and s.expires_at > now() and ${USABLE_ACCOUNT}
            and (a.role = 'MEMBER' or s.second_factor or not ${staffNeedSecondFactor}::boolean)),
       touched as (update auth_session t set last_used_at = now() from s
                    where t.id = s.id and (s.last_used_at is null or s.last_used_at < now() - interval '5 minutes'))
     select ${ACCOUNT_ROW} from s join account a on a.id = s.account_id`);
  if (!row) throw rejected('This session has expired or was signed out. Sign in again.');
  return viewerOfAccount(row) ?? throwRejected('This account cannot sign in.');
}

const throwRejected = (message: string): never => {
  throw rejected(message);
};

async function partnerViewer(em: EntityManager, token: string): Promise<Viewer> {
  // last_used_at is refreshed at most every five minutes, in the same statement as the lookup.
  const [row] = await pooledSql(em).query<{
    id: string;
    partner_id: string;
  }>(sql`with k as (select id, partner_id, last_used_at from partner_api_key where secret_hash = ${secretHash(token)} and revoked_at is null),
          touched as (update partner_api_key p set last_used_at = now() from k
                       where p.id = k.id and (k.last_used_at is null or k.last_used_at < now() - interval '5 minutes'))
     select id, partner_id from k`);
  if (!row) throw rejected('This API key is not valid or was revoked.');
  return { kind: 'PARTNER', partnerId: row.partner_id, apiKeyId: row.id };
}
