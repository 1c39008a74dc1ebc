import type { EntityManager } from '@mikro-orm/postgresql';
import DataLoader from 'dataloader';
import { unwrapRow } from '../../crypto/data-keys.js';
import { pooledSql, sql } from '../../db/sql.js';
import { viewById } from '../../db/view-loaders.js';
import { MemberEntity } from './member.entity.js';
import { IDENTITY_ROW, type MemberIdentity, openIdentity, type SealedIdentityRow } from './member-identity.js';

/** Batch loaders of the members module (per request; see app/loaders.ts). */
export function memberLoaders(em: EntityManager) {
  return {
    member: viewById(em, MemberEntity),

    /**
     * A member's personal identifiers, opened with its data key; null when it has none or was
     * erased. Read only behind the field policy (authz/field-policy.ts).
     */
    identityOfMember: new DataLoader<string, MemberIdentity | null>(async (ids) => {
      const rows = await pooledSql(em).query<SealedIdentityRow>(sql`select ${IDENTITY_ROW} where i.member_id = any(${ids}::uuid[])`);
      const byMember = new Map(rows.map((row) => [row.member_id, openIdentity(row)]));
      return ids.map((id) => byMember.get(id) ?? null);
    }),

    /** A member's data key, unwrapped (what else is sealed with it: signatures' typed names); null once erased. */
    dataKeyOfMember: new DataLoader<string, Buffer | null>(async (ids) => {
      const rows = await pooledSql(em).query<{ member_id: string; key_id: string | null; wrapped: Buffer | null; kek_id: string | null }>(
        sql`select m.id as member_id, k.id as key_id, k.wrapped, k.kek_id
              from member m left join data_key k on k.id = m.data_key_id where m.id = any(${ids}::uuid[])`,
      );
      const byMember = new Map(rows.map((row) => [row.member_id, unwrapRow(row)]));
      return ids.map((id) => byMember.get(id) ?? null);
    }),
  };
}

declare module '../../graphql/context.js' {
  interface Loaders extends ReturnType<typeof memberLoaders> {}
}
