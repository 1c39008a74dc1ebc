import { isAdmin, isAssignedTherapist, isGroupTherapist, isReferringPartner, isSelf } from '../../authz/rules.js';
import { type PageArgs, paginate } from '../../graphql/connection.js';
import type { Context } from '../../graphql/context.js';
import { forbidden, notFound } from '../../graphql/errors.js';
import { loadVisible, registerNode } from '../../graphql/node.js';
import { refuse, UserErrorCode, validateInput } from '../../graphql/user-errors.js';
import { emailIndex } from '@kindred/crypto';
import { allOf, sql } from '../../db/sql.js';
import type { View } from '../../db/views.js';
import type { EntityManager } from '@mikro-orm/postgresql';
import { hashPassword } from '../../authz/credentials.js';
import {
  type AccountEntity,
  AccountRole,
  AccountTokenPurpose,
  activeAccountOf,
  issueLink,
  lockEmail,
  newAccount,
  queueNotice,
} from '../accounts/index.js';
import { type RegisterMemberInput, registerMemberSchema } from './member.inputs.js';
import { MemberEntity } from './member.entity.js';
import { createMember } from './member-records.js';

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

/**
 * Members the viewer may see, optionally narrowed to a group's active reservations or a
 * display-name search. Narrowing to a group whose roster the viewer may not see (another
 * therapist's group, a draft) answers NOT_FOUND exactly as for a group that does not exist: a
 * filter must not tell which of the viewer's members also sit in groups it may not see.
 */
export async function listMembers(ctx: Context, page: PageArgs, filter: MemberFilter) {
  const { viewer } = ctx;
  if (filter.groupId) {
    await loadVisible(ctx, 'Group', filter.groupId);
    if (viewer.kind === 'THERAPIST' && !(await isGroupTherapist(ctx, filter.groupId))) throw notFound('Group');
  }
  const where = [];
  if (viewer.kind === 'PARTNER') where.push(sql`t.partner_id = ${viewer.partnerId}`);
  else if (viewer.kind === 'MEMBER') where.push(sql`t.id = any(${viewer.memberIds}::uuid[])`);
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

type Registration = ReturnType<typeof registerMemberSchema.parse>;

/** A member record and its identity, in `em`'s unit of work. */
function createMemberRecord(em: EntityManager, data: Registration, links: { partnerId: string | null; account: AccountEntity | null }) {
  return createMember(
    em,
    {
      displayName: data.displayName,
      pronouns: data.pronouns ?? null,
      timeZone: data.timeZone,
      partner: links.partnerId,
      account: links.account,
    },
    {
      legalName: data.legalName,
      email: data.email,
      phone: data.phone ?? null,
      dateOfBirth: data.dateOfBirth ?? null,
      emergencyContactName: data.emergencyContact?.name ?? null,
      emergencyContactPhone: data.emergencyContact?.phone ?? null,
      emergencyContactRelationship: data.emergencyContact?.relationship ?? null,
    },
  ).member;
}

/**
 * Registers a member with their identity. A partner registers the members it refers (a record
 * of its own even when the person is known elsewhere: never a link to, or a hint of, another);
 * an admin anyone. Neither gives the member a sign-in: the person asks for its own
 * (`requestMemberSignIn`). An anonymous person registers themself (`registerSelf`).
 */
export async function registerMember(ctx: Context, input: RegisterMemberInput): Promise<{ member: MemberEntity | null }> {
  const { viewer } = ctx;
  if (viewer.kind === 'THERAPIST' || viewer.kind === 'MEMBER') throw forbidden('Therapists and members cannot register members.');
  const data = validateInput(registerMemberSchema, input);
  if (viewer.kind === 'ANONYMOUS') return registerSelf(ctx, data);
  if (data.password) {
    refuse(
      UserErrorCode.INVALID_STATE,
      ['input', 'password'],
      'Only a person registering themself chooses a password; a member asks for its own sign-in with requestMemberSignIn.',
    );
  }
  return ctx.em.transactional(async (em) => ({
    member: createMemberRecord(em, data, { partnerId: viewer.kind === 'PARTNER' ? viewer.partnerId : null, account: null }),
  }));
}

/**
 * A person registers themself: the record and an account that cannot sign in until the link mailed
 * to the address is followed (`verifyEmail`). When the address already signs in, nothing is made
 * and its owner gets a notice instead (at most one an hour). Both answer the same, take the same
 * work (the password is hashed either way), and return no member: nothing tells the two apart.
 */
async function registerSelf(ctx: Context, data: Registration): Promise<{ member: null }> {
  if (!data.password) refuse(UserErrorCode.REQUIRED, ['input', 'password'], 'A password is required to register yourself.');
  await ctx.attempts.consume([`register:ip:${ctx.clientIp}`]);
  const passwordHash = await hashPassword(data.password!);
  await ctx.em.transactional(async (em) => {
    const index = emailIndex(data.email);
    await lockEmail(em, index);
    const holder = await activeAccountOf(em, index);
    if (holder) {
      if (await ctx.attempts.allowNotice(`registration:${holder.id}`)) await queueNotice(em, holder, 'REGISTRATION_ATTEMPT');
      return;
    }
    const account = await newAccount(em, { email: data.email, role: AccountRole.MEMBER, passwordHash });
    createMemberRecord(em, data, { partnerId: null, account });
    await issueLink(em, AccountTokenPurpose.VERIFY_EMAIL, { account });
  });
  return { member: null };
}
