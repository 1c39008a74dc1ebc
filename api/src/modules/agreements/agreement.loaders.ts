import type { EntityManager } from '@mikro-orm/postgresql';
import DataLoader from 'dataloader';
import { sql } from '../../db/sql.js';
import { grouped, viewById, viewsWhere } from '../../db/view-loaders.js';
import { AgreementEntity, AgreementVersionEntity, SignatureEntity } from './agreement.entity.js';

/** Batch loaders of the agreements module (per request; see app/loaders.ts). */
export function agreementLoaders(em: EntityManager) {
  return {
    agreement: viewById(em, AgreementEntity),
    agreementVersion: viewById(em, AgreementVersionEntity),
    signature: viewById(em, SignatureEntity),

    /** Versions of an agreement, newest first. */
    versionsOfAgreement: new DataLoader(async (ids: readonly string[]) => {
      const found = await viewsWhere(em, AgreementVersionEntity, sql`where agreement_id = any(${ids}::uuid[]) order by version desc`);
      return grouped(ids, found, (v) => v.agreement.id);
    }),

    /** A member's signatures, newest first. */
    signaturesOfMember: new DataLoader(async (ids: readonly string[]) => {
      const found = await viewsWhere(em, SignatureEntity, sql`where member_id = any(${ids}::uuid[]) order by signed_at desc, id desc`);
      return grouped(ids, found, (s) => s.member.id);
    }),
  };
}

declare module '../../graphql/context.js' {
  interface Loaders extends ReturnType<typeof agreementLoaders> {}
}
