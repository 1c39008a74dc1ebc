import { isAdmin, isAssignedTherapist, isReferringPartner, isSelf } from '../../authz/rules.js';
import { type PageArgs, paginate } from '../../graphql/connection.js';
import type { Context } from '../../graphql/context.js';
import { forbidden } from '../../graphql/errors.js';
import { registerNode } from '../../graphql/node.js';
import { refuse, UserErrorCode, validateInput } from '../../graphql/user-errors.js';
import { allOf, sql } from '../../db/sql.js';
import type { View } from '../../db/views.js';
import { AccountEntity, AccountRole, createAccount, startSession } from '../accounts/index.js';
import {
  type CreateMemberAccountInput,
  createMemberAccountSchema,
  type RegisterMemberInput,
  registerMemberSchema,
} from './member.inputs.js';
import { MemberEntity, MemberIdentityEntity } from './member.entity.js';

/**
 * Who may see a member at all (display name, reservations): admins, the member, the partner
 * that referred them, and the therapists assigned to them. Everyone else gets NOT_FOUND.
 */
async function canSeeMember(ctx: Context, member: View<MemberEntity>): Promise<boolean> {
  const { viewer } = ctx;
  return (
    isAdmin(viewer) ||
    isSelf(viewer, member.id) ||
    isReferringPartner(viewer, member.partner?.id) ||
    (await isAssignedTherapist(ctx, member.id))
  );
}

registerNode({
  typeName: 'Member',
  entity: MemberEntity,
  load: (ctx, id) => ctx.loaders.member.load(id),
  visible: canSeeMember,
});

export interface MemberFilter {
  groupId?: string | null;
  displayNameContains?: string | null;
}

/** Members the viewer may see, optionally narrowed to a group's active reservations or a display-name search. */
export async function listMembers(ctx: Context, page: PageArgs, filter: MemberFilter) {
  const { viewer } = ctx;
  const where = [];
  if (viewer.kind === 'PARTNER') where.push(sql`t.partner_id = ${viewer.partnerId}`);
  else if (viewer.kind === 'MEMBER') where.push(sql`t.id = ${viewer.memberId}`);
  else if (viewer.kind === 'THERAPIST') {
    where.push(sql`exists (select 1 from therapist_member tm where tm.member_id = t.id and tm.therapist_id = ${viewer.therapistId})`);
  } else if (viewer.kind !== 'ADMIN') throw forbidden();
  if (filter.groupId) {
    where.push(
      sql`exists (select 1 from reservation r where r.member_id = t.id and r.group_id = ${filter.groupId}
                   and r.status in ('HELD', 'CONFIRMED', 'WAITLISTED'))`,
    );
  }
  if (filter.displayNameContains) where.push(sql`t.display_name ilike ${`%${escapeLike(filter.displayNameContains)}%`}`);
  return paginate(ctx, MemberEntity, allOf(where), page, [{ property: 'displayName', direction: 'asc' }]);
}

const escapeLike = (s: string) => s.replace(/[\\%_]/g, (c) => `\\${c}`);

/**
 * Registers a member with their identity. A partner registers the members it refers; an admin
 * anyone; an anonymous person only themself, with a password, and is signed in at once.
 */
export async function registerMember(ctx: Context, input: RegisterMemberInput) {
  const { viewer } = ctx;
  if (viewer.kind === 'THERAPIST' || viewer.kind === 'MEMBER') throw forbidden('Therapists and members cannot register members.');
  const data = validateInput(registerMemberSchema, input);
  if (viewer.kind === 'ANONYMOUS' && !data.password) {
    refuse(UserErrorCode.REQUIRED, ['input', 'password'], 'A password is required to register yourself.');
  }
  if (viewer.kind === 'ANONYMOUS') await ctx.attempts.consume([`register:ip:${ctx.clientIp}`]);
  return ctx.em.transactional(async (em) => {
    const member = em.create(MemberEntity, {
      displayName: data.displayName,
      pronouns: data.pronouns ?? null,
      timeZone: data.timeZone,
      partner: viewer.kind === 'PARTNER' ? viewer.partnerId : null,
    });
    em.create(MemberIdentityEntity, {
      member,
      legalName: data.legalName,
      email: data.email,
      phone: data.phone ?? null,
      dateOfBirth: data.dateOfBirth ?? null,
      emergencyContactName: data.emergencyContact?.name ?? null,
      emergencyContactPhone: data.emergencyContact?.phone ?? null,
      emergencyContactRelationship: data.emergencyContact?.relationship ?? null,
    });
    let token: string | null = null;
    if (data.password) {
      const account = await createAccount(em, data.email, data.password, { role: AccountRole.MEMBER, member });
      if (viewer.kind === 'ANONYMOUS') token = startSession(em, account).token;
    }
    return { member, token };
  });
}

/** Gives a member registered without a password an account (their referring partner or an admin). */
export async function createMemberAccount(ctx: Context, input: CreateMemberAccountInput) {
  const data = validateInput(createMemberAccountSchema, input);
  const member = await ctx.loaders.member.load(data.memberId);
  if (!member || !(isAdmin(ctx.viewer) || isReferringPartner(ctx.viewer, member.partner?.id))) {
    return refuse(UserErrorCode.NOT_FOUND, ['input', 'memberId'], 'No member with this ID.');
  }
  return ctx.em.transactional(async (em) => {
    if ((await em.count(AccountEntity, { member: member.id })) > 0) {
      refuse(UserErrorCode.INVALID_STATE, ['input', 'memberId'], 'This member already has an account.');
    }
    const identity = await em.findOneOrFail(MemberIdentityEntity, { member: member.id });
    // `member` is a read-only view (loaders): the account links to the entity by reference.
    const ref = em.getReference(MemberEntity, member.id);
    await createAccount(em, identity.email, data.password, { role: AccountRole.MEMBER, member: ref }, ['input', 'memberId']);
    return member;
  });
}
