/**
 * Data keys in the database: made in the unit of work of the record they protect, read per
 * request, re-wrapped by a KEK rotation (docs/encryption.md).
 */
import type { EntityManager } from '@mikro-orm/postgresql';
import { newId } from '../db/ids.js';
import type { SqlClient } from '../db/sql.js';
import { sql } from '../db/sql.js';
import { DataKeyEntity } from './data-key.entity.js';
import { newDataKey, unwrapDataKey, wrapDataKey } from '@kindred/crypto';
import { keyring } from '@kindred/crypto';

/** A new data key in `em`'s unit of work: the entity to reference, and the key to seal with. */
export function createDataKey(em: EntityManager): { entity: DataKeyEntity; key: Buffer } {
  const { key, stored } = newDataKey(newId());
  return { entity: em.create(DataKeyEntity, { id: stored.id, wrapped: stored.wrapped, kekId: stored.kekId }), key };
}

/** A stored data key as SQL returns it (`key_id`, `wrapped`, `kek_id`), unwrapped; null when it was destroyed. */
export function unwrapRow(row: { key_id: string | null; wrapped: Buffer | null; kek_id: string | null }): Buffer | null {
  if (!row.key_id || !row.wrapped || !row.kek_id) return null;
  return unwrapDataKey({ id: row.key_id, wrapped: row.wrapped, kekId: row.kek_id });
}

/**
 * Re-wraps under the current KEK every data key wrapped by another one, `batch` at a time, each
 * batch in its own short transaction with its rows locked (SKIP LOCKED: two runs share the work),
 * so the API keeps running throughout. Returns how many keys were re-wrapped.
 */
export async function rewrapDataKeys(transaction: <T>(work: (db: SqlClient) => Promise<T>) => Promise<T>, batch = 500): Promise<number> {
  const { kek } = keyring();
  let total = 0;
  for (;;) {
    const done = await transaction(async (db) => {
      const rows = await db.query<{ id: string; wrapped: Buffer; kek_id: string }>(
        sql`select id, wrapped, kek_id from data_key where kek_id <> ${kek.id} order by id limit ${batch} for update skip locked`,
      );
      for (const row of rows) {
        const rewrapped = wrapDataKey(row.id, unwrapDataKey({ id: row.id, wrapped: row.wrapped, kekId: row.kek_id }), kek);
        await db.query(sql`update data_key set wrapped = ${rewrapped.wrapped}, kek_id = ${rewrapped.kekId} where id = ${row.id}`);
      }
      return rows.length;
    });
    total += done;
    if (done < batch) return total;
  }
}
