/**
 * The SQL gateway: plain SQL on a pooled PostgreSQL connection, for set-based reads (pages, batch
 * loaders) and the seat engine — every statement the ORM does not build. Statements are written
 * with the `sql` tag (sql-template-tag): every `${value}` becomes a `$n` parameter sent as it is
 * (extended protocol), a nested `sql` fragment is spliced in, and nothing else can be — so no SQL
 * text is ever built from a value (api/test/architecture/sql-text.test.ts scans for it). Rows come back as pg
 * returns them (timestamps stay strings, as MikroORM's driver reads them), with no query builder
 * in between. The connections are MikroORM's own pool (same `lock_timeout`, same limit); every
 * statement is counted (db/statement-counter.ts, the `x-sql-statements` header).
 *
 * Why not `em.execute`: it formats every parameter into the SQL text in JavaScript and goes
 * through knex's raw builder, which cost more CPU per statement than PostgreSQL spent running it
 * (the reservation storm in packages/bench; docs/decisions/0001-raw-sql-for-seats.md).
 */
import type { EntityManager } from '@mikro-orm/postgresql';
import sql, { join, raw, type Sql as Statement } from 'sql-template-tag';
import { countStatement } from './statement-counter.js';

export { join, type Statement, sql };

/**
 * A fragment of fixed SQL text (a column list derived from entity metadata, say). Never pass it
 * anything derived from input: values go in `sql` templates as parameters.
 */
export const fixedSql = (text: string): Statement => raw(text);

/** Conditions joined with `and` (`true` when there are none), each in parentheses. */
export const allOf = (conditions: Statement[]): Statement =>
  conditions.length === 0
    ? sql`true`
    : join(
        conditions.map((condition) => sql`(${condition})`),
        ' and ',
      );

interface QueryOptions {
  /**
   * Prepared unless false — false for a statement whose best plan depends on its parameters'
   * values (a range over a table that grows, a page whose filters vary), where a generic plan
   * chosen while the table was small would scan it whole later.
   */
  prepare?: boolean;
}

/** Runs statements on one connection (a transaction's) or on the pool. */
export interface SqlClient {
  query<T = Record<string, unknown>>(statement: Statement, options?: QueryOptions): Promise<T[]>;
}

interface PgConnection {
  query(config: { text: string; values?: unknown[]; name?: string }): Promise<{ rows: unknown[] }>;
}

/**
 * Statements are prepared once per connection and then only bound and executed: PostgreSQL
 * skips parsing and planning, which was about half of its time on the seat engine's statements
 * (EXPLAIN ANALYZE: 0.25 ms planning against 0.2 ms execution for the figures read under the
 * lock). Names are per process; the SQL texts are fixed per call site, so the map stays small
 * (capped anyway; a text past the cap runs unprepared).
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

function sqlOn(connection: PgConnection): SqlClient {
  return {
    async query<T>(statement: Statement, options: QueryOptions = {}) {
      countStatement();
      const { text, values } = statement;
      const name = options.prepare === false ? undefined : statementName(text);
      return (await connection.query(name ? { name, text, values } : { text, values })).rows as T[];
    },
  };
}

const knexClient = (em: EntityManager) => em.getConnection().getKnex().client as KnexClient;

/** Each statement on a connection of the pool, outside any transaction (a lookup, say). */
export function pooledSql(em: EntityManager): SqlClient {
  return {
    async query<T>(statement: Statement, options: QueryOptions = {}) {
      const client = knexClient(em);
      const connection = await client.acquireConnection();
      try {
        return await sqlOn(connection).query<T>(statement, options);
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
export async function sqlOf(em: EntityManager): Promise<SqlClient> {
  const transaction = em.getTransactionContext();
  if (!transaction) throw new Error('sqlOf needs an entity manager inside a transaction');
  return sqlOn(await (transaction.client as KnexClient).acquireConnection());
}

/**
 * Runs `work` in one READ COMMITTED transaction on a connection of the pool: committed when it
 * returns, rolled back when it throws (the error propagates).
 */
export async function inTransaction<T>(em: EntityManager, work: (tx: SqlClient) => Promise<T>): Promise<T> {
  const client = knexClient(em);
  const connection = await client.acquireConnection();
  const tx = sqlOn(connection);
  try {
    await tx.query(sql`begin`);
    const result = await work(tx);
    await tx.query(sql`commit`);
    return result;
  } catch (error) {
    await tx.query(sql`rollback`).catch(() => undefined);
    throw error;
  } finally {
    await client.releaseConnection(connection);
  }
}
