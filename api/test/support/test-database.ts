import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { inject } from 'vitest';

export interface TestDatabase {
  url: string;
  /** Runs SQL against this database (for arranging data and checking invariants). */
  query<R extends pg.QueryResultRow = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<R[]>;
  drop(): Promise<void>;
}

/** A name global-setup drops with the run's template should a test leave it behind. */
const testDatabaseName = () => `kindred_t_${inject('templateDatabase').split('_').at(-1)}_${randomBytes(4).toString('hex')}`;

/** A fresh database copied from the migrated template; dropped by `drop()`. */
export async function createTestDatabase(): Promise<TestDatabase> {
  const template = inject('templateDatabase');
  const name = testDatabaseName();
  const admin = new pg.Client({ connectionString: inject('adminDatabaseUrl') });
  await admin.connect();
  for (let attempt = 0; ; attempt++) {
    try {
      await admin.query(`create database ${name} template ${template}`);
      break;
    } catch (error) {
      // Two files copying the template at the same instant: PostgreSQL asks to retry.
      if (attempt > 20 || !String((error as Error).message).includes('being accessed by other users')) throw error;
      await new Promise((r) => setTimeout(r, 100 + Math.random() * 200));
    }
  }
  return databaseHandle(admin, name);
}

/**
 * A new empty database (no migrations), owned by `owner` when given: for starting Kindred the
 * way a fresh installation does. Dropped by `drop()`.
 */
export async function createEmptyDatabase(owner?: string): Promise<TestDatabase> {
  const name = testDatabaseName();
  const admin = new pg.Client({ connectionString: inject('adminDatabaseUrl') });
  await admin.connect();
  await admin.query(`create database ${name} template template0${owner ? ` owner ${owner}` : ''}`);
  return databaseHandle(admin, name);
}

/** Queries `name` as the server's administrator; `drop()` removes it and closes `admin`. */
function databaseHandle(admin: pg.Client, name: string): TestDatabase {
  const url = new URL(inject('adminDatabaseUrl'));
  url.pathname = `/${name}`;
  const pool = new pg.Pool({ connectionString: url.toString(), max: 3 });
  pool.on('error', () => {}); // the drop below terminates idle clients on purpose
  return {
    url: url.toString(),
    async query(sql, params) {
      return (await pool.query(sql, params as unknown[])).rows;
    },
    async drop() {
      await pool.end();
      await admin.query(`drop database if exists ${name} with (force)`);
      await admin.end();
    },
  };
}
