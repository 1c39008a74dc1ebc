import type { EntityManager } from '@mikro-orm/postgresql';
import { viewById } from '../../db/view-loaders.js';
import { StaffActionEntity } from './staff-action.entity.js';

/** Batch loaders of the audit module (per request; see app/loaders.ts). */
export function auditLoaders(em: EntityManager) {
  return { staffAction: viewById(em, StaffActionEntity) };
}

declare module '../../graphql/context.js' {
  interface Loaders extends ReturnType<typeof auditLoaders> {}
}
