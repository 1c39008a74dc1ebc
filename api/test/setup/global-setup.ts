/**
 * Migrates one template database, once per run; every test file then gets its own database
 * copied from it (fast and isolated). Uses DATABASE_URL's server when set, otherwise an
 * embedded PostgreSQL under .data/test-postgres.
 */
import { resolveDatabase } from '@kindred/embedded-db';
import pg from 'pg';
import type { TestProject } from 'vitest/node';
import { migrate, openOrm } from '../../src/app/orm.js';

declare module 'vitest' {
  export interface ProvidedContext {
    adminDatabaseUrl: string;
    templateDatabase: string;
  }
}

function withDatabase(url: string, database: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${database}`;
  return parsed.toString();
}

export default async function setup(project: TestProject) {
  const server = await resolveDatabase({
    database: 'postgres',
    dataDir: new URL('../../../.data/test-postgres', import.meta.url).pathname,
  });
  const adminUrl = withDatabase(server.url, 'postgres');
  const template = `kindred_test_template_${process.pid}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`drop database if exists ${template}`);
  await admin.query(`create database ${template}`);
  const orm = await openOrm(withDatabase(adminUrl, template), 2);
  await migrate(orm);
  await orm.close(true);
  project.provide('adminDatabaseUrl', adminUrl);
  project.provide('templateDatabase', template);

  return async () => {
    const leftovers = await admin.query<{ datname: string }>(`select datname from pg_database where datname = $1 or datname like $2`, [
      template,
      `kindred_t_${process.pid}_%`,
    ]);
    for (const { datname } of leftovers.rows) await admin.query(`drop database if exists ${datname} with (force)`);
    await admin.end();
    await server.stop();
  };
}
