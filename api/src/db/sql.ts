/**
 * Plain SQL on a pooled PostgreSQL connection, for the seat engine's hot path: `$n` parameters
 * sent as they are (extended protocol), rows as pg returns them (timestamps stay strings, as
 * MikroORM's driver reads them), no query builder in between. The connections are MikroORM's
 * own pool (same `lock_timeout`, same limit); every statement is counted like MikroORM's
 * (`sqlStatements`, the `x-sql-statements` header).
 *
 * Why not `em.execute`: it formats every parameter into the SQL text in JavaScript and goes
 * through knex's raw builder, which cost more CPU per statement than PostgreSQL spent running it
 * (the reservation storm in packages/bench).
 */
import type { EntityManager } from '@mikro-orm/postgresql';
import { sqlStatements } from './orm.js';

export interface Sql {
  /** Runs one statement and returns its rows. */
  query<T = Record<string, unknown>>(text: string, values?: unknown[]): Promise<T[]>;
}

interface PgConnection {
  query(config: { text: string; values?: unknown[] }): Promise<{ rows: unknown[] }>;
}

interface KnexClient {
  acquireConnection(): Promise<PgConnection>;
  releaseConnection(connection: PgConnection): Promise<unknown>;
}

function sqlOn(connection: PgConnection): Sql {
  return {
    async query<T>(text: string, values: unknown[] = []) {
      const store = sqlStatements.getStore();
      if (store) store.count++;
      return (await connection.query({ text, values })).rows as T[];
    },
  };
}

/** Each statement on a connection of the pool, outside any transaction (a lookup, say). */
export function pooledSql(em: EntityManager): Sql {
  return {
    async query<T>(text: string, values: unknown[] = []) {
      const client = em.getConnection().getKnex().client as KnexClient;
      const connection = await client.acquireConnection();
      try {
        return await sqlOn(connection).query<T>(text, values);
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
