import { isAdmin, isReferringPartner, isSelf } from '../../authz/rules.js';
import type { Context } from '../../context.js';
import { forbidden } from '../../graphql/errors.js';
import { refuse, UserErrorCode } from '../../graphql/user-errors.js';
import type { MemberEntity } from './member.entity.js';

/**
 * The member a mutation acts for: a member acts for itself, a partner for a member it referred,
 * an admin (when `allowAdmin`) for anyone. A member the caller may not act for is NOT_FOUND on
 * `input.memberId`, exactly like one that does not exist.
 */
export async function actingMember(
  ctx: Context,
  memberId: string | null | undefined,
  options: { allowAdmin: boolean },
): Promise<MemberEntity> {
  const { viewer } = ctx;
  const allowed = viewer.kind === 'MEMBER' || viewer.kind === 'PARTNER' || (options.allowAdmin && isAdmin(viewer));
  if (!allowed) throw forbidden();
  const id = memberId ?? (viewer.kind === 'MEMBER' ? viewer.memberId : null);
  if (!id) return refuse(UserErrorCode.REQUIRED, ['input', 'memberId'], 'Say which member this is for.');
  const member = await ctx.loaders.member.load(id);
  if (!member || !(isSelf(viewer, member.id) || isReferringPartner(viewer, member.partner?.id) || isAdmin(viewer))) {
    return refuse(UserErrorCode.NOT_FOUND, ['input', 'memberId'], 'No member with this ID.');
  }
  return member;
}
