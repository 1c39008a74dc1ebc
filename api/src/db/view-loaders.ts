/**
 * Building blocks for the batch loaders each module declares in its `<feature>.loaders.ts`:
 * one statement per batch, `$n` parameters, prepared (db/sql.ts), answering with read-only views
 * (db/views.ts) — never managed entities. A service that needs to change or link what it read
 * loads the entity (or a reference) through its entity manager.
 */
import type { EntityManager } from '@mikro-orm/postgresql';
import DataLoader from 'dataloader';
import { pooledSql, type Statement, sql } from './sql.js';
import { type View, viewColumns, viewsOf, viewTable } from './views.js';

export type Row = Record<string, unknown>;

/** One statement on a pooled connection, prepared. */
export function rows(em: EntityManager, statement: Statement): Promise<Row[]> {
  return pooledSql(em).query<Row>(statement);
}

/** Views of `entity` from `select <its columns> from <its table> <rest>`. */
export async function viewsWhere<E>(em: EntityManager, entity: new () => E, rest: Statement): Promise<View<E>[]> {
  const found = await rows(em, sql`select ${viewColumns(em, entity)} from ${viewTable(em, entity)} ${rest}`);
  return viewsOf(em, entity, found);
}

/** A loader of views by primary key; a missing id answers null. */
export function viewById<E extends { id: string }>(em: EntityManager, entity: new () => E) {
  return new DataLoader<string, View<E> | null>(async (ids) => {
    const found = await viewsWhere(em, entity, sql`where id = any(${ids}::uuid[])`);
    // A generic View<E> does not expose `id` to the compiler; every view of an entity with an id has it.
    const byId = new Map(found.map((view) => [(view as { readonly id?: string }).id, view]));
    return ids.map((id) => byId.get(id) ?? null);
  });
}

/** `list` split by `keyOf` into one array per key, in the order of `keys` (empty when none). */
export function grouped<K, V>(keys: readonly K[], list: V[], keyOf: (item: V) => K): V[][] {
  const byKey = new Map<K, V[]>();
  for (const item of list) {
    const key = keyOf(item);
    const items = byKey.get(key);
    if (items) items.push(item);
    else byKey.set(key, [item]);
  }
  return keys.map((key) => byKey.get(key) ?? []);
}

/** Views of `entity` from rows that also carry the batch key in `keyColumn`, grouped for `keys`. */
export function groupedViews<E>(
  em: EntityManager,
  entity: new () => E,
  keys: readonly string[],
  found: Row[],
  keyColumn: string,
): View<E>[][] {
  const views = viewsOf(em, entity, found);
  const keyed = found.map((row, i) => ({ key: row[keyColumn] as string, view: views[i]! }));
  return grouped(keys, keyed, (item) => item.key).map((items) => items.map((item) => item.view));
}
