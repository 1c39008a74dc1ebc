import { MikroORM } from '@mikro-orm/postgresql';
import pg from 'pg';
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

/** The advisory lock every Kindred process takes on its database to migrate (any fixed number). */
const MIGRATION_LOCK = 1_701_175_001;

/**
 * Installs the job queue's schema (graphile-worker's own migrations), then applies every pending
 * committed migration of Kindred's.
 *
 * Every API process migrates when it starts, and replicas start together: without a lock two of
 * them run the same migration on an empty database and one fails on the other's objects
 * (measured: api/test/deploy/replicas.test.ts). A session-level advisory lock, on a connection
 * of its own, lets one process migrate while the others wait and then find nothing pending.
 */
export async function migrate(orm: MikroORM): Promise<void> {
  const url = orm.config.get('clientUrl')!;
  const lock = new pg.Client({ connectionString: url });
  lock.on('error', () => {}); // the database went away: the migration itself fails and says so
  await lock.connect();
  try {
    await lock.query('select pg_advisory_lock($1)', [MIGRATION_LOCK]);
    await installJobQueue(url);
    await orm.getMigrator().up();
  } finally {
    await lock.end(); // the session's end releases its lock
  }
}
