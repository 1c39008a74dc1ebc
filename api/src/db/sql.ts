/**
 * Plain SQL on a pooled PostgreSQL connection, for the hot paths — the seat engine, every
 * request's authentication, the read loaders (db/views.ts): `$n` parameters
 * sent as they are (extended protocol), rows as pg returns them (timestamps stay strings, as
 * MikroORM's driver reads them), no query builder in between. The connections are MikroORM's
 * own pool (same `lock_timeout`, same limit); every statement is counted like MikroORM's
 * (db/statement-counter.ts, the `x-sql-statements` header).
 *
 * Why not `em.execute`: it formats every parameter into the SQL text in JavaScript and goes
 * through knex's raw builder, which cost more CPU per statement than PostgreSQL spent running it
 * (the reservation storm in packages/bench).
 */
import type { EntityManager } from '@mikro-orm/postgresql';
import { countStatement } from './statement-counter.js';

export interface Sql {
  /**
   * Runs one statement and returns its rows. Prepared unless `prepare: false` — for a statement
   * whose best plan depends on its parameter's value (a range over a table that grows), where
   * a generic plan chosen while the table was small would scan it whole later.
   */
  query<T = Record<string, unknown>>(text: string, values?: unknown[], options?: { prepare?: boolean }): Promise<T[]>;
}

interface PgConnection {
  query(config: { text: string; values?: unknown[]; name?: string }): Promise<{ rows: unknown[] }>;
}

/**
 * Statements are prepared once per connection and then only bound and executed: PostgreSQL
 * skips parsing and planning, which was about half of its time on the seat engine's statements
 * (EXPLAIN ANALYZE: 0.25 ms planning against 0.2 ms execution for the figures read under the
 * lock). Names are per process; the SQL texts are fixed strings, so the map stays small (capped
 * anyway; a text past the cap runs unprepared).
 */
const statementNames = new Map<string, string>();
const MAX_PREPARED = 500;
const TRANSACTION_CONTROL = new Set(['begin', 'commit', 'rollback']);

function statementName(text: string): string | undefined {
  if (TRANSACTION_CONTROL.has(text)) return undefined;
  let name = statementNames.get(text);
  if (!name && statementNames.size < MAX_PREPARED) {
    name = `kindred_${statementNames.size + 1}`;
    statementNames.set(text, name);
  }
  return name;
}

interface KnexClient {
  acquireConnection(): Promise<PgConnection>;
  releaseConnection(connection: PgConnection): Promise<unknown>;
}

function sqlOn(connection: PgConnection): Sql {
  return {
    async query<T>(text: string, values: unknown[] = [], options: { prepare?: boolean } = {}) {
      countStatement();
      const name = options.prepare === false ? undefined : statementName(text);
      return (await connection.query(name ? { name, text, values } : { text, values })).rows as T[];
    },
  };
}

/** Each statement on a connection of the pool, outside any transaction (a lookup, say). */
export function pooledSql(em: EntityManager): Sql {
  return {
    async query<T>(text: string, values: unknown[] = [], options: { prepare?: boolean } = {}) {
      const client = em.getConnection().getKnex().client as KnexClient;
      const connection = await client.acquireConnection();
      try {
        return await sqlOn(connection).query<T>(text, values, options);
      } finally {
        await client.releaseConnection(connection);
      }
    },
  };
}

/**
 * The connection of the transaction `em` is in (`em.transactional`), so plain SQL joins the
 * ORM's work in one commit.
 */
export async function sqlOf(em: EntityManager): Promise<Sql> {
  const transaction = em.getTransactionContext();
  if (!transaction) throw new Error('sqlOf needs an entity manager inside a transaction');
  return sqlOn(await (transaction.client as KnexClient).acquireConnection());
}

/**
 * Runs `work` in one READ COMMITTED transaction on a connection of the pool: committed when it
 * returns, rolled back when it throws (the error propagates).
 */
export async function inTransaction<T>(em: EntityManager, work: (sql: Sql) => Promise<T>): Promise<T> {
  const client = em.getConnection().getKnex().client as KnexClient;
  const connection = await client.acquireConnection();
  const sql = sqlOn(connection);
  try {
    await sql.query('begin');
    const result = await work(sql);
    await sql.query('commit');
    return result;
  } catch (error) {
    await sql.query('rollback').catch(() => undefined);
    throw error;
  } finally {
    await client.releaseConnection(connection);
  }
}
