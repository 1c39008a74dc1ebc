import 'reflect-metadata';
import { Migrator } from '@mikro-orm/migrations';
import { defineConfig, type Options } from '@mikro-orm/postgresql';
import { SeedManager } from '@mikro-orm/seeder';
import { StaffActionSubscriber } from '../authz/staff-actions.js';
import { entities } from './entities.js';
import { migrationsList } from './migrations/index.js';

/**
 * Connection pool of `max` connections. Every Kindred connection waits at most 5 s for a lock
 * (seat transactions retry after it): a stuck lock fails fast instead of piling up requests.
 */
export function poolOptions(max: number) {
  return {
    min: 0,
    max,
    afterCreate: (
      connection: { query(sql: string, done: (error?: Error) => void): void },
      done: (error: Error | undefined, c: unknown) => void,
    ) => connection.query(`set lock_timeout = '5s'`, (error) => done(error, connection)),
  };
}

/** MikroORM settings for a database URL. Schema changes only ever come from committed migrations. */
export function ormConfig(clientUrl: string, overrides: Partial<Options> = {}): Options {
  return defineConfig({
    clientUrl,
    entities,
    subscribers: [new StaffActionSubscriber()],
    extensions: [Migrator, SeedManager],
    migrations: {
      tableName: 'mikro_orm_migrations',
      path: './src/app/migrations',
      pathTs: './src/app/migrations',
      migrationsList,
      transactional: true,
      allOrNothing: true,
      snapshot: false,
      emit: 'ts',
    },
    seeder: { path: './src/app/seeders', pathTs: './src/app/seeders', emit: 'ts' },
    forceUtcTimezone: true,
    pool: poolOptions(Number(process.env.DB_POOL_MAX ?? 10)),
    allowGlobalContext: false,
    ensureDatabase: false,
    debug: false,
    ...overrides,
  });
}

/** Used by the MikroORM CLI (`pnpm --filter @kindred/api migration:create`). */
export default ormConfig(process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/kindred_dev');
