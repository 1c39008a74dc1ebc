import type { EntityManager } from '@mikro-orm/postgresql';
import DataLoader from 'dataloader';
import { sql } from '../../db/sql.js';
import { viewById, viewsWhere } from '../../db/view-loaders.js';
import type { View } from '../../db/views.js';
import { MemberEntity, MemberIdentityEntity } from './member.entity.js';

/** Batch loaders of the members module (per request; see app/loaders.ts). */
export function memberLoaders(em: EntityManager) {
  return {
    member: viewById(em, MemberEntity),

    /** A member's personal identifiers; read only behind the field policy (authz/field-policy.ts). */
    identityOfMember: new DataLoader<string, View<MemberIdentityEntity> | null>(async (ids) => {
      const found = await viewsWhere(em, MemberIdentityEntity, sql`where member_id = any(${ids}::uuid[])`);
      const byMember = new Map(found.map((identity) => [identity.member.id, identity]));
      return ids.map((id) => byMember.get(id) ?? null);
    }),
  };
}

declare module '../../graphql/context.js' {
  interface Loaders extends ReturnType<typeof memberLoaders> {}
}
