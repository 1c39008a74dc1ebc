import type { EntityManager } from '@mikro-orm/postgresql';
import { viewById } from '../../db/view-loaders.js';
import { TherapistEntity } from './therapist.entity.js';

/** Batch loaders of the therapists module (per request; see app/loaders.ts). */
export function therapistLoaders(em: EntityManager) {
  return { therapist: viewById(em, TherapistEntity) };
}

declare module '../../graphql/context.js' {
  interface Loaders extends ReturnType<typeof therapistLoaders> {}
}
