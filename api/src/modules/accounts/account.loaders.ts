import type { EntityManager } from '@mikro-orm/postgresql';
import DataLoader from 'dataloader';
import { pooledSql, sql } from '../../db/sql.js';
import { viewById } from '../../db/view-loaders.js';
import { AccountEntity } from './account.entity.js';
import { ACCOUNT_EMAIL_ROW, type AccountEmailRow, openAccountEmail } from './account-crypto.js';

/** Batch loaders of the accounts module (per request; see app/loaders.ts). */
export function accountLoaders(em: EntityManager) {
  return {
    account: viewById(em, AccountEntity),

    /** An account's sign-in address, opened; null once its key is gone. Staff addresses only are ever shown. */
    accountEmail: new DataLoader<string, string | null>(async (ids) => {
      const rows = await pooledSql(em).query<AccountEmailRow>(sql`select ${ACCOUNT_EMAIL_ROW} where a.id = any(${ids}::uuid[])`);
      const byId = new Map(rows.map((row) => [row.id, openAccountEmail(row)]));
      return ids.map((id) => byId.get(id) ?? null);
    }),
  };
}

declare module '../../graphql/context.js' {
  interface Loaders extends ReturnType<typeof accountLoaders> {}
}
