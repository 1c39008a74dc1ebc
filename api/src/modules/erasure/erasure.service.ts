/**
 * Erasure by crypto-shredding (docs/encryption.md, "Erasure"). A member erases itself at once; a
 * partner asks for a member it referred and an admin approves; an admin asks and a second admin
 * approves (the same `eraseMember` call, by another admin). Done in one seat transaction: the
 * member's active reservations end by the seat rules (the waitlist moves up), its data key is
 * deleted (its identifiers and typed names can never be opened again), its display name becomes
 * "Former member", its own sign-in goes when it serves no other member record, and mails still
 * waiting to go to it are cancelled. The audits stay: they never held a value.
 */
import { isAdmin, isReferringPartner, isSelf } from '../../authz/rules.js';
import { newId } from '../../db/ids.js';
import { pooledSql, type SqlClient, sql } from '../../db/sql.js';
import type { Context } from '../../graphql/context.js';
import { forbidden } from '../../graphql/errors.js';
import { refuse, UserErrorCode, UserErrors, validateInput } from '../../graphql/user-errors.js';
import { endReservation, runSeatTransaction } from '../reservations/index.js';
import { type EraseMemberInput, eraseMemberSchema } from './erasure.inputs.js';
import { ErasureRequester, ErasureStatus, type MemberErasure } from './erasure.types.js';

/** What an erased member is called from then on. */
const FORMER_MEMBER = 'Former member';

interface ErasureRow {
  id: string;
  requested_by_kind: ErasureRequester;
  requested_by_account_id: string | null;
  requested_at: string;
  completed_at: string | null;
}

const ERASURE_COLUMNS = sql`id, requested_by_kind, requested_by_account_id, requested_at, completed_at`;

const shaped = (row: ErasureRow): MemberErasure => ({
  status: row.completed_at ? ErasureStatus.DONE : ErasureStatus.PENDING,
  requestedBy: row.requested_by_kind,
  requestedAt: new Date(row.requested_at),
  completedAt: row.completed_at ? new Date(row.completed_at) : null,
});

/** `eraseMember`: see the header for who may and what happens. */
export async function eraseMember(ctx: Context, input: EraseMemberInput): Promise<{ erasure: MemberErasure }> {
  const { viewer } = ctx;
  if (viewer.kind !== 'MEMBER' && viewer.kind !== 'PARTNER' && viewer.kind !== 'ADMIN') {
    throw forbidden('Only the member itself, the partner that referred it or an admin can ask for an erasure.');
  }
  const { memberId } = validateInput(eraseMemberSchema, input);
  const db = pooledSql(ctx.em);
  const [member] = await db.query<{ id: string; partner_id: string | null; erased_at: string | null }>(
    sql`select id, partner_id, erased_at from member where id = ${memberId}`,
  );
  if (!member || !(isSelf(viewer, member.id) || isReferringPartner(viewer, member.partner_id) || isAdmin(viewer))) {
    return refuse(UserErrorCode.NOT_FOUND, ['input', 'memberId'], 'No member with this ID.');
  }
  if (member.erased_at) refuse(UserErrorCode.INVALID_STATE, ['input', 'memberId'], 'This member was already erased.');
  if (viewer.kind === 'MEMBER') return { erasure: shaped(await shred(ctx, member.id, null)) };

  const [pending] = await db.query<ErasureRow>(
    sql`select ${ERASURE_COLUMNS} from member_erasure where member_id = ${member.id} and completed_at is null`,
  );
  if (!pending) {
    await db.query(
      sql`insert into member_erasure (id, member_id, requested_by_kind, requested_by_account_id, requested_by_partner_id)
          values (${newId()}, ${member.id}, ${viewer.kind}, ${viewer.kind === 'ADMIN' ? viewer.accountId : null},
                  ${viewer.kind === 'PARTNER' ? viewer.partnerId : null})
          on conflict do nothing`,
    );
    const [asked] = await db.query<ErasureRow>(
      sql`select ${ERASURE_COLUMNS} from member_erasure where member_id = ${member.id} and completed_at is null`,
    );
    return { erasure: shaped(asked!) };
  }
  if (viewer.kind === 'PARTNER') return { erasure: shaped(pending) };
  if (pending.requested_by_account_id === viewer.accountId) {
    refuse(UserErrorCode.INVALID_STATE, ['input', 'memberId'], 'You asked for this erasure: a second admin must approve it.');
  }
  return { erasure: shaped(await shred(ctx, member.id, { requestId: pending.id, approvedBy: viewer.accountId })) };
}

/** The erasure itself, in one seat transaction over the groups where the member holds a place. */
async function shred(ctx: Context, memberId: string, approval: { requestId: string; approvedBy: string } | null): Promise<ErasureRow> {
  const active = await pooledSql(ctx.em).query<{ group_id: string }>(
    sql`select distinct group_id from reservation where member_id = ${memberId} and status in ('HELD', 'CONFIRMED', 'WAITLISTED')`,
  );
  const result = await runSeatTransaction(
    ctx,
    { operation: 'eraseMember', groupIds: active.map((r) => r.group_id), input: { memberId }, reason: 'Member erased' },
    async (tx, locked) => {
      const [member] = await tx.query<{ data_key_id: string | null; account_id: string | null; erased_at: string | null }>(
        sql`select data_key_id, account_id, erased_at from member where id = ${memberId} for update`,
      );
      if (!member || member.erased_at) refuse(UserErrorCode.INVALID_STATE, ['input', 'memberId'], 'This member was already erased.');
      const places = await tx.query<{ id: string; group_id: string }>(
        sql`select id, group_id from reservation where member_id = ${memberId} and status in ('HELD', 'CONFIRMED', 'WAITLISTED')`,
      );
      for (const place of places) {
        if (!locked.has(place.group_id))
          refuse(UserErrorCode.INVALID_STATE, ['input', 'memberId'], 'The member just took another place; try again.');
        await endReservation(tx, place.group_id, place.id, { status: 'CANCELLED', endedBy: 'SYSTEM', reason: 'Member erased' });
      }
      await forgetPerson(tx, memberId, member!);
      const [row] = approval
        ? await tx.query<ErasureRow>(
            sql`update member_erasure set completed_at = now(), approved_by_account_id = ${approval.approvedBy}
                 where id = ${approval.requestId} and completed_at is null returning ${ERASURE_COLUMNS}`,
          )
        : await tx.query<ErasureRow>(
            // A request still waiting (the partner's, say) is settled by the member's own erasure.
            sql`with settled as (update member_erasure set completed_at = now() where member_id = ${memberId} and completed_at is null)
                insert into member_erasure (id, member_id, requested_by_kind, requested_by_account_id, completed_at)
                values (${newId()}, ${memberId}, 'MEMBER', ${member!.account_id}, now()) returning ${ERASURE_COLUMNS}`,
          );
      if (!row) refuse(UserErrorCode.INVALID_STATE, ['input', 'memberId'], 'This erasure was already done.');
      return row!.id;
    },
  );
  if (result.userErrors.length > 0) throw new UserErrors(result.userErrors);
  const [row] = await pooledSql(ctx.em).query<ErasureRow>(sql`select ${ERASURE_COLUMNS} from member_erasure where id = ${result.objectId}`);
  return row!;
}

/**
 * Destroys what identifies the person: the member's key, its address index, its name in groups;
 * its own sign-in when that serves no other member record (key destroyed, disabled, sessions
 * ended); and every mail still waiting to go to it.
 */
async function forgetPerson(tx: SqlClient, memberId: string, member: { data_key_id: string | null; account_id: string | null }) {
  const [identity] = await tx.query<{ email_index: Buffer | null }>(
    sql`select email_index from member_identity where member_id = ${memberId}`,
  );
  await tx.query(sql`update member_identity set email_index = null where member_id = ${memberId}`);
  await tx.query(sql`update member set erased_at = now(), display_name = ${FORMER_MEMBER}, pronouns = null where id = ${memberId}`);
  if (member.data_key_id) await tx.query(sql`delete from data_key where id = ${member.data_key_id}`);

  let accountId: string | null = null;
  if (member.account_id) {
    const [others] = await tx.query<{ n: number }>(
      sql`select count(*)::int as n from member where account_id = ${member.account_id} and id <> ${memberId} and erased_at is null`,
    );
    if (others!.n === 0) {
      accountId = member.account_id;
      const [account] = await tx.query<{ data_key_id: string | null }>(
        sql`update account set disabled_at = coalesce(disabled_at, now()), totp_secret = null, totp_pending_secret = null,
               email_index = sha256(convert_to(gen_random_uuid()::text, 'UTF8'))
             where id = ${accountId} returning data_key_id`,
      );
      if (account?.data_key_id) await tx.query(sql`delete from data_key where id = ${account.data_key_id}`);
      await tx.query(sql`update auth_session set revoked_at = now() where account_id = ${accountId} and revoked_at is null`);
    }
  }
  // Links waiting to be mailed or followed: to its sign-in, or asked for with its address (when no
  // other member record still has that address).
  const links = await tx.query<{ id: string; data_key_id: string | null }>(
    sql`update account_token t set used_at = now()
         where t.used_at is null and (t.account_id = ${accountId}
           or (${identity?.email_index ?? null}::bytea is not null and t.account_id is null and t.email_index = ${identity?.email_index ?? null}
               and not exists (select 1 from member_identity i join member m on m.id = i.member_id
                                where i.email_index = t.email_index and m.erased_at is null)))
        returning t.id, t.data_key_id`,
  );
  const linkKeys = links.flatMap((l) => (l.data_key_id ? [l.data_key_id] : []));
  if (linkKeys.length > 0) await tx.query(sql`delete from data_key where id = any(${linkKeys}::uuid[])`);
  await tx.query(
    sql`select graphile_worker.complete_jobs(array(
          select j.id from graphile_worker._private_jobs j join graphile_worker._private_tasks t on t.id = j.task_id
           where t.identifier = 'account-mail' and j.locked_at is null
             and (j.payload->>'tokenId' = any(${links.map((l) => l.id)}::text[]) or j.payload->>'accountId' = ${accountId}::text)))`,
  );
}
