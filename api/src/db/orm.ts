import { AsyncLocalStorage } from 'node:async_hooks';
import { MikroORM } from '@mikro-orm/postgresql';
import { ormConfig, poolOptions } from './mikro-orm.config.js';

/** Per-request SQL statement counter: every statement MikroORM sends is counted in the caller's store. */
export const sqlStatements = new AsyncLocalStorage<{ count: number }>();

export async function openOrm(url: string, poolMax?: number): Promise<MikroORM> {
  return MikroORM.init(
    ormConfig(url, {
      onQuery: (sql) => {
        const store = sqlStatements.getStore();
        if (store) store.count++;
        return sql;
      },
      ...(poolMax ? { pool: poolOptions(poolMax) } : {}),
    }),
  );
}

/** Applies every pending committed migration. */
export async function migrate(orm: MikroORM): Promise<void> {
  await orm.getMigrator().up();
}
