import { Arg, Args, Authorized, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root } from 'type-graphql';
import type { Viewer as ViewerValue } from '../../authz/viewer.js';
import type { Context } from '../../graphql/context.js';
import { PageArgs } from '../../graphql/connection.js';
import { forbidden } from '../../graphql/errors.js';
import { parseGlobalId } from '../../graphql/ids.js';
import { loadVisible } from '../../graphql/node.js';
import { INPUT, mutate } from '../../graphql/payload.js';
import { Viewer } from '../accounts/index.js';
import type { PartnerEntity } from './partner.entity.js';
import { CreatePartnerApiKeyInput, CreatePartnerInput, RevokePartnerApiKeyInput } from './partner.inputs.js';
import { apiKeysOf, createPartner, createPartnerApiKey, listPartners, revokePartnerApiKey } from './partner.service.js';
import {
  CreatePartnerApiKeyPayload,
  CreatePartnerPayload,
  Partner,
  PartnerApiKey,
  PartnerConnection,
  RevokePartnerApiKeyPayload,
} from './partner.types.js';

@Resolver(() => Partner)
export class PartnerResolver {
  @Authorized('ADMIN')
  @Query(() => PartnerConnection, { description: 'All partner organisations, by name. Admins only.' })
  partners(@Args() page: PageArgs, @Ctx() ctx: Context) {
    return listPartners(ctx, page);
  }

  @Authorized('ADMIN', 'PARTNER')
  @Query(() => Partner, { nullable: true, description: 'One partner: admins see any, a partner sees itself.' })
  partner(@Arg('id', () => ID, { description: 'Global ID of a Partner.' }) id: string, @Ctx() ctx: Context) {
    return loadVisible(ctx, 'Partner', parseGlobalId(id, 'Partner'));
  }

  @FieldResolver(() => [PartnerApiKey], {
    nullable: true,
    description: "The partner's API keys, newest first (secrets are never shown). Admins only; null with FORBIDDEN for others.",
  })
  apiKeys(@Root() partner: PartnerEntity, @Ctx() ctx: Context) {
    if (ctx.viewer.kind !== 'ADMIN') throw forbidden('Only admins see API keys.');
    return apiKeysOf(ctx, partner.id);
  }

  @Authorized('ADMIN')
  @Mutation(() => CreatePartnerPayload, { description: 'Adds a partner organisation. Admins only.' })
  createPartner(@Arg('input', () => CreatePartnerInput, INPUT) input: CreatePartnerInput, @Ctx() ctx: Context) {
    return mutate(async () => ({ partner: await createPartner(ctx, input) }));
  }

  @Authorized('ADMIN')
  @Mutation(() => CreatePartnerApiKeyPayload, {
    description: 'Issues an API key for a partner; the secret is in this response only. Admins only.',
  })
  createPartnerApiKey(@Arg('input', () => CreatePartnerApiKeyInput, INPUT) input: CreatePartnerApiKeyInput, @Ctx() ctx: Context) {
    return mutate(() => createPartnerApiKey(ctx, input));
  }

  @Authorized('ADMIN')
  @Mutation(() => RevokePartnerApiKeyPayload, { description: 'Revokes an API key; it stops working at once. Admins only.' })
  revokePartnerApiKey(@Arg('input', () => RevokePartnerApiKeyInput, INPUT) input: RevokePartnerApiKeyInput, @Ctx() ctx: Context) {
    return mutate(async () => ({ apiKey: await revokePartnerApiKey(ctx, input) }));
  }
}

@Resolver(() => Viewer)
export class ViewerPartnerResolver {
  @FieldResolver(() => Partner, { nullable: true, description: 'The calling partner organisation, when the caller uses an API key.' })
  partner(@Root() viewer: ViewerValue, @Ctx() ctx: Context) {
    return viewer.kind === 'PARTNER' ? ctx.loaders.partner.load(viewer.partnerId) : null;
  }
}
