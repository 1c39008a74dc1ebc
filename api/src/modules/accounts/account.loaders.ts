import type { EntityManager } from '@mikro-orm/postgresql';
import { viewById } from '../../db/view-loaders.js';
import { AccountEntity } from './account.entity.js';

/** Batch loaders of the accounts module (per request; see app/loaders.ts). */
export function accountLoaders(em: EntityManager) {
  return { account: viewById(em, AccountEntity) };
}

declare module '../../graphql/context.js' {
  interface Loaders extends ReturnType<typeof accountLoaders> {}
}
