import type { EntityManager } from '@mikro-orm/postgresql';
import DataLoader from 'dataloader';
import { sql } from '../../db/sql.js';
import { viewById, viewsWhere } from '../../db/view-loaders.js';
import type { View } from '../../db/views.js';
import { AccountEntity } from '../accounts/index.js';
import { TherapistEntity } from './therapist.entity.js';

/** Batch loaders of the therapists module (per request; see app/loaders.ts). */
export function therapistLoaders(em: EntityManager) {
  return {
    therapist: viewById(em, TherapistEntity),

    /** The therapist's staff account (key: therapist id). */
    accountOfTherapist: new DataLoader<string, View<AccountEntity> | null>(async (ids) => {
      const found = await viewsWhere(em, AccountEntity, sql`where therapist_id = any(${ids}::uuid[])`);
      const byTherapist = new Map(found.map((account) => [account.therapist?.id, account]));
      return ids.map((id) => byTherapist.get(id) ?? null);
    }),
  };
}

declare module '../../graphql/context.js' {
  interface Loaders extends ReturnType<typeof therapistLoaders> {}
}
