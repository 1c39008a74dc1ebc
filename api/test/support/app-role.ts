/**
 * Kindred's database the way deploy/README.md sets it up: an app role made by
 * deploy/postgres/app-role.sql (run with the machine's psql, as the guide says), owning an empty
 * database. The role is cluster-wide, so `drop()` removes the database and then the role.
 */
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import pg from 'pg';
import { inject } from 'vitest';
import { createEmptyDatabase, type TestDatabase } from './test-database.js';

/** The machine's PostgreSQL client programs (psql, pg_dump, pg_restore). */
export const PG_BIN = process.env.PG_BIN ?? '/usr/lib/postgresql/15/bin';

export const DEPLOY_DIR = fileURLToPath(new URL('../../../deploy/', import.meta.url));

export const run = promisify(execFile);

export interface AppDatabase {
  role: string;
  /** The database, queried as the server's administrator (for arranging data and checking invariants). */
  db: TestDatabase;
  /** The same database, connecting as the app role: what the API processes get as DATABASE_URL. */
  appUrl: string;
  drop(): Promise<void>;
}

/** Runs deploy/postgres/app-role.sql for a new role, then creates an empty database it owns. */
export async function createAppDatabase(): Promise<AppDatabase> {
  const adminUrl = inject('adminDatabaseUrl');
  const role = `kindred_app_${randomBytes(4).toString('hex')}`;
  const password = randomBytes(12).toString('hex');
  await run(`${PG_BIN}/psql`, [
    ...['-X', '-q', '-v', 'ON_ERROR_STOP=1', '-v', `app_role=${role}`, '-v', `app_password=${password}`, '-v', 'app_connections=60'],
    ...['-f', `${DEPLOY_DIR}postgres/app-role.sql`, adminUrl],
  ]);
  const dropRole = async () => {
    const admin = new pg.Client({ connectionString: adminUrl });
    await admin.connect();
    await admin.query(`drop role if exists ${role}`).finally(() => admin.end());
  };
  let db: TestDatabase;
  try {
    db = await createEmptyDatabase(role);
  } catch (error) {
    await dropRole();
    throw error;
  }
  const appUrl = new URL(db.url);
  appUrl.username = role;
  appUrl.password = password;
  return {
    role,
    db,
    appUrl: appUrl.toString(),
    async drop() {
      await db.drop();
      await dropRole();
    },
  };
}
