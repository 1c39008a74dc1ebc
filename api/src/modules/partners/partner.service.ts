import { API_KEY_PREFIX, newSecret, secretHash } from '../../authz/credentials.js';
import { sql } from '../../db/sql.js';
import { type PageArgs, paginate } from '../../graphql/connection.js';
import type { Context } from '../../graphql/context.js';
import { registerNode } from '../../graphql/node.js';
import { refuse, UserErrorCode, validateInput } from '../../graphql/user-errors.js';
import {
  type CreatePartnerApiKeyInput,
  type CreatePartnerInput,
  createPartnerApiKeySchema,
  createPartnerSchema,
  type RevokePartnerApiKeyInput,
  revokePartnerApiKeySchema,
} from './partner.inputs.js';
import { PartnerApiKeyEntity, PartnerEntity } from './partner.entity.js';

registerNode({
  typeName: 'Partner',
  entity: PartnerEntity,
  load: (ctx, id) => ctx.loaders.partner.load(id),
  visible: (ctx, partner) => ctx.viewer.kind === 'ADMIN' || (ctx.viewer.kind === 'PARTNER' && ctx.viewer.partnerId === partner.id),
});

registerNode({
  typeName: 'PartnerApiKey',
  entity: PartnerApiKeyEntity,
  load: (ctx, id) => ctx.em.findOne(PartnerApiKeyEntity, { id }),
  visible: (ctx) => ctx.viewer.kind === 'ADMIN',
});

export function listPartners(ctx: Context, page: PageArgs) {
  return paginate(ctx, PartnerEntity, sql`true`, page, [{ property: 'name', direction: 'asc' }]);
}

export function apiKeysOf(ctx: Context, partnerId: string) {
  return ctx.em.find(PartnerApiKeyEntity, { partner: partnerId }, { orderBy: { createdAt: 'desc', id: 'desc' } });
}

export async function createPartner(ctx: Context, input: CreatePartnerInput): Promise<PartnerEntity> {
  const data = validateInput(createPartnerSchema, input);
  const partner = ctx.em.create(PartnerEntity, data);
  await ctx.em.flush();
  return partner;
}

/** Issues a key; returns the secret once. Only its SHA-256 is stored. */
export async function createPartnerApiKey(ctx: Context, input: CreatePartnerApiKeyInput) {
  const data = validateInput(createPartnerApiKeySchema, input);
  const partner = await ctx.loaders.partner.load(data.partnerId);
  if (!partner) return refuse(UserErrorCode.NOT_FOUND, ['input', 'partnerId'], 'No partner with this ID.');
  const secret = newSecret(API_KEY_PREFIX);
  const apiKey = ctx.em.create(PartnerApiKeyEntity, {
    partner: ctx.em.getReference(PartnerEntity, partner.id), // `partner` is a read-only view (loaders)
    label: data.label,
    prefix: secret.slice(0, API_KEY_PREFIX.length + 6),
    secretHash: secretHash(secret),
  });
  await ctx.em.flush();
  return { apiKey, secret };
}

export async function revokePartnerApiKey(ctx: Context, input: RevokePartnerApiKeyInput): Promise<PartnerApiKeyEntity> {
  const data = validateInput(revokePartnerApiKeySchema, input);
  const apiKey = await ctx.em.findOne(PartnerApiKeyEntity, { id: data.apiKeyId });
  if (!apiKey) return refuse(UserErrorCode.NOT_FOUND, ['input', 'apiKeyId'], 'No API key with this ID.');
  if (apiKey.revokedAt) return refuse(UserErrorCode.INVALID_STATE, ['input', 'apiKeyId'], 'This key is already revoked.');
  apiKey.revokedAt = new Date();
  await ctx.em.flush();
  return apiKey;
}
