import { isAdmin, isReferringPartner, isSelf } from '../../authz/rules.js';
import type { Context } from '../../graphql/context.js';
import { pooledSql, sql } from '../../db/sql.js';
import { forbidden } from '../../graphql/errors.js';
import { refuse, UserErrorCode } from '../../graphql/user-errors.js';

/**
 * The member a mutation acts for: a member acts for itself, a partner for a member it referred,
 * an admin (when `allowAdmin`) for anyone. A member the caller may not act for is NOT_FOUND on
 * `input.memberId`, exactly like one that does not exist. Returns only the id: the seat
 * mutations that call it need no more (one plain statement, no entity).
 */
export async function actingMember(
  ctx: Context,
  memberId: string | null | undefined,
  options: { allowAdmin: boolean },
): Promise<{ id: string }> {
  const { viewer } = ctx;
  const allowed = viewer.kind === 'MEMBER' || viewer.kind === 'PARTNER' || (options.allowAdmin && isAdmin(viewer));
  if (!allowed) throw forbidden();
  const id = memberId ?? (viewer.kind === 'MEMBER' ? viewer.memberId : null);
  if (!id) return refuse(UserErrorCode.REQUIRED, ['input', 'memberId'], 'Say which member this is for.');
  const [member] = await pooledSql(ctx.em).query<{ id: string; partner_id: string | null }>(
    sql`select id, partner_id from member where id = ${id}`,
  );
  if (!member || !(isSelf(viewer, member.id) || isReferringPartner(viewer, member.partner_id) || isAdmin(viewer))) {
    return refuse(UserErrorCode.NOT_FOUND, ['input', 'memberId'], 'No member with this ID.');
  }
  return { id: member.id };
}
