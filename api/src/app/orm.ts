import { MikroORM } from '@mikro-orm/postgresql';
import { countStatement } from '../db/statement-counter.js';
import { ormConfig, poolOptions } from './mikro-orm.config.js';

export async function openOrm(url: string, poolMax?: number): Promise<MikroORM> {
  return MikroORM.init(
    ormConfig(url, {
      onQuery: (sql) => {
        countStatement();
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
