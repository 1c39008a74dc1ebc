import { sql } from '../../db/sql.js';
import { type PageArgs, paginate } from '../../graphql/connection.js';
import type { Context } from '../../graphql/context.js';
import { registerNode } from '../../graphql/node.js';
import { forbidden } from '../../graphql/errors.js';
import { refuse, UserErrorCode, validateInput } from '../../graphql/user-errors.js';
import { AccountEntity, AccountRole, approveStaff, inviteStaff } from '../accounts/index.js';
import {
  type ApproveTherapistInput,
  approveTherapistSchema,
  type CreateTherapistInput,
  createTherapistSchema,
} from './therapist.inputs.js';
import { TherapistEntity } from './therapist.entity.js';

registerNode({
  typeName: 'Therapist',
  entity: TherapistEntity,
  load: (ctx, id) => ctx.loaders.therapist.load(id),
  // A therapist's professional profile is public (it is shown in the catalogue).
  visible: () => true,
});

export function listTherapists(ctx: Context, page: PageArgs) {
  return paginate(ctx, TherapistEntity, sql`true`, page, [{ property: 'displayName', direction: 'asc' }]);
}

/**
 * `createTherapist` (admins): the therapist's profile and its staff account, invited by mail to
 * choose its own password. It signs in — and reads the identifiers of its groups' members — only
 * once an admin other than the inviter approved it (`approveTherapist`).
 */
export async function createTherapist(ctx: Context, input: CreateTherapistInput): Promise<TherapistEntity> {
  const data = validateInput(createTherapistSchema, input);
  if (ctx.viewer.kind !== 'ADMIN') throw forbidden();
  const invitedBy = ctx.viewer.accountId;
  return ctx.em.transactional(async (em) => {
    const therapist = em.create(TherapistEntity, {
      displayName: data.displayName,
      credentials: data.credentials,
      bio: data.bio,
      timeZone: data.timeZone,
    });
    await inviteStaff(em, { email: data.email, role: AccountRole.THERAPIST, therapist, invitedBy });
    return therapist;
  });
}

/** `approveTherapist` (admins): a second admin lets the therapist's account in. */
export async function approveTherapist(ctx: Context, input: ApproveTherapistInput): Promise<TherapistEntity> {
  const data = validateInput(approveTherapistSchema, input);
  return ctx.em.transactional(async (em) => {
    const account = await em.findOne(AccountEntity, { therapist: data.therapistId }, { populate: ['therapist'] });
    if (!account) return refuse(UserErrorCode.NOT_FOUND, ['input', 'therapistId'], 'No therapist with this ID.');
    approveStaff(ctx, em, account, ['input', 'therapistId']);
    return account.therapist!.getEntity();
  });
}
