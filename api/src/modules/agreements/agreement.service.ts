import { LockMode } from '@mikro-orm/core';
import { isAdmin, isAssignedTherapist, isReferringPartner, isSelf } from '../../authz/rules.js';
import { noteChange, REDACTED } from '../../authz/staff-actions.js';
import { seal } from '@kindred/crypto';
import { sealedPlaces } from '@kindred/crypto';
import { newId } from '../../db/ids.js';
import { pooledSql, sql } from '../../db/sql.js';
import type { View } from '../../db/views.js';
import { type PageArgs, paginate } from '../../graphql/connection.js';
import type { Context } from '../../graphql/context.js';
import { forbidden } from '../../graphql/errors.js';
import { registerNode } from '../../graphql/node.js';
import { refuse, UserErrorCode, validateInput } from '../../graphql/user-errors.js';
import { actingMember } from '../members/index.js';
import { confirmSignedHolds, runSeatTransaction, type SeatResult } from '../reservations/index.js';
import {
  type CreateAgreementInput,
  createAgreementSchema,
  type PublishAgreementVersionInput,
  publishAgreementVersionSchema,
  type SignAgreementInput,
  signAgreementSchema,
} from './agreement.inputs.js';
import { AgreementEntity, AgreementVersionEntity, SignatureChannel, SignatureEntity } from './agreement.entity.js';

registerNode({ typeName: 'Agreement', entity: AgreementEntity, load: (ctx, id) => ctx.loaders.agreement.load(id), visible: () => true });
registerNode({
  typeName: 'AgreementVersion',
  entity: AgreementVersionEntity,
  load: (ctx, id) => ctx.loaders.agreementVersion.load(id),
  visible: () => true,
});

/** Who may see a signature (its typed name is further guarded by the field policy). */
async function canSeeSignature(ctx: Context, signature: View<SignatureEntity>): Promise<boolean> {
  const { viewer } = ctx;
  if (isAdmin(viewer) || isSelf(viewer, signature.member.id)) return true;
  if (viewer.kind === 'PARTNER') {
    const member = await ctx.loaders.member.load(signature.member.id);
    return isReferringPartner(viewer, member?.partner?.id);
  }
  return isAssignedTherapist(ctx, signature.member.id);
}

registerNode({
  typeName: 'Signature',
  entity: SignatureEntity,
  load: (ctx, id) => ctx.loaders.signature.load(id),
  visible: canSeeSignature,
});

/** A member's signatures; whoever may see the member may see that they signed. */
export function visibleSignatures(ctx: Context, memberId: string): Promise<View<SignatureEntity>[]> {
  return ctx.loaders.signaturesOfMember.load(memberId);
}

export function listAgreements(ctx: Context, page: PageArgs) {
  return paginate(ctx, AgreementEntity, sql`true`, page, [{ property: 'title', direction: 'asc' }]);
}

/** The latest version (the one members are asked to sign). */
export async function currentVersion(ctx: Context, agreementId: string): Promise<View<AgreementVersionEntity> | null> {
  return (await ctx.loaders.versionsOfAgreement.load(agreementId))[0] ?? null;
}

export async function createAgreement(ctx: Context, input: CreateAgreementInput): Promise<AgreementEntity> {
  const data = validateInput(createAgreementSchema, input);
  return ctx.em.transactional(async (em) => {
    const agreement = em.create(AgreementEntity, { kind: data.kind, title: data.title });
    em.create(AgreementVersionEntity, { agreement, version: 1, bodyMarkdown: data.bodyMarkdown, requiresResign: true });
    return agreement;
  });
}

/**
 * Publishes the next version. Version numbers come from the row lock on the agreement, so two
 * admins publishing at once get consecutive numbers, never the same one.
 */
export async function publishAgreementVersion(ctx: Context, input: PublishAgreementVersionInput): Promise<AgreementVersionEntity> {
  const data = validateInput(publishAgreementVersionSchema, input);
  return ctx.em.transactional(async (em) => {
    const agreement = await em.findOne(AgreementEntity, { id: data.agreementId }, { lockMode: LockMode.PESSIMISTIC_WRITE });
    if (!agreement) return refuse(UserErrorCode.NOT_FOUND, ['input', 'agreementId'], 'No agreement with this ID.');
    const [latest] = await em.find(AgreementVersionEntity, { agreement }, { orderBy: { version: 'desc' }, limit: 1 });
    return em.create(AgreementVersionEntity, {
      agreement,
      version: (latest?.version ?? 0) + 1,
      bodyMarkdown: data.bodyMarkdown,
      requiresResign: data.requiresResign,
    });
  });
}

/**
 * Records a member's signature of an agreement's latest version (the member itself or its
 * partner) and, in the same transaction under the groups' locks, confirms the member's live holds
 * in groups that required it.
 */
export async function signAgreement(ctx: Context, input: SignAgreementInput): Promise<SeatResult> {
  const { viewer } = ctx;
  if (viewer.kind !== 'MEMBER' && viewer.kind !== 'PARTNER') throw forbidden('Only a member or its partner can sign.');
  const data = validateInput(signAgreementSchema, input);
  const member = await actingMember(ctx, data.memberId, { allowAdmin: false });
  const version = await currentVersion(ctx, data.agreementId);
  if (!version) return refuse(UserErrorCode.NOT_FOUND, ['input', 'agreementId'], 'No agreement with this ID.');
  const held = await pooledSql(ctx.em).query<{ group_id: string }>(
    sql`select distinct group_id from reservation where member_id = ${member.id} and status = 'HELD'`,
  );
  const groupIds = held.map((r) => r.group_id);
  const key = await ctx.loaders.dataKeyOfMember.load(member.id);
  if (!key) return refuse(UserErrorCode.NOT_FOUND, ['input', 'memberId'], 'No member with this ID.');
  const signatureId = newId();
  const result = await runSeatTransaction(
    ctx,
    {
      operation: 'signAgreement',
      groupIds,
      idempotencyKey: data.idempotencyKey,
      input: { agreementVersionId: version.id, memberId: member.id, typedName: data.typedName },
    },
    async (tx) => {
      const [signed] = await tx.query<{
        id: string;
      }>(sql`insert into signature (id, member_id, agreement_version_id, typed_name, channel, partner_id, signed_at)
         values (${signatureId}, ${member.id}, ${version.id}, ${seal(key, data.typedName, sealedPlaces.signature(signatureId))}, ${viewer.kind === 'MEMBER' ? SignatureChannel.MEMBER : SignatureChannel.PARTNER}::signature_channel, ${viewer.kind === 'PARTNER' ? viewer.partnerId : null}, now()) on conflict (member_id, agreement_version_id) do nothing returning id`);
      if (!signed) refuse(UserErrorCode.INVALID_STATE, ['input', 'agreementId'], 'The member has already signed this version.');
      await confirmSignedHolds(tx, member.id, groupIds);
      return signed!.id;
    },
  );
  if (result.objectId && result.userErrors.length === 0) {
    noteChange({ type: 'Signature', id: result.objectId, after: { member: member.id, agreementVersion: version.id, typedName: REDACTED } });
  }
  return result;
}
