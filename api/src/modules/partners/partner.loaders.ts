import type { EntityManager } from '@mikro-orm/postgresql';
import { viewById } from '../../db/view-loaders.js';
import { PartnerEntity } from './partner.entity.js';

/** Batch loaders of the partners module (per request; see app/loaders.ts). */
export function partnerLoaders(em: EntityManager) {
  return { partner: viewById(em, PartnerEntity) };
}

declare module '../../graphql/context.js' {
  interface Loaders extends ReturnType<typeof partnerLoaders> {}
}
