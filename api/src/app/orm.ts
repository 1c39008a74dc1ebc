import { MikroORM } from '@mikro-orm/postgresql';
import { countStatement } from '../db/statement-counter.js';
import { installJobQueue } from '../jobs/worker.js';
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

/**
 * Installs the job queue's schema (graphile-worker's own migrations), then applies every pending
 * committed migration of Kindred's.
 */
export async function migrate(orm: MikroORM): Promise<void> {
  await installJobQueue(orm.config.get('clientUrl')!);
  await orm.getMigrator().up();
}
