/**
 * How long Kindred keeps each kind of data it prunes, and the prunes (docs/retention.md has the
 * schedule and the reasons). Every API process runs them hourly (app/server/background.ts); each
 * returns how many rows or files it removed.
 *
 * Rows go in statements of at most `PRUNE_BATCH`, each its own short transaction, so a large
 * backlog never holds many row locks for long; `skip locked` lets processes pruning at the same
 * moment share the work instead of waiting on each other.
 *
 * The audit trails' six years are not here: the database holds and enforces them (migration
 * 0014), and only its `prune_identifier_audit` / `prune_staff_action` may delete an audit row.
 */
import { readdir, stat, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import type { MikroORM } from '@mikro-orm/postgresql';
import { fixedSql, pooledSql, type SqlClient, type Statement, sql } from '../db/sql.js';

export const RETENTION = {
  /** Idempotency keys after they were first used (the promise to partners is at least 24 hours). */
  idempotencyKeyHours: 48,
  /** graphile-worker jobs that gave up (attempts = max_attempts), after their last attempt. */
  failedJobDays: 30,
  /** Sign-in sessions and emailed links, after they stopped working (expired, revoked or used). */
  endedSignInDays: 30,
  /** The development mailbox's .eml files, after they were written. */
  devMailDays: 7,
} as const;

/** How often each process prunes (ms). */
export const PRUNE_EVERY_MS = 3_600_000;

/** Rows deleted per statement at most. */
const PRUNE_BATCH = 5000;

/** Runs `deleteBatch` until a batch comes back short; returns the total. */
async function inBatches(batch: number, deleteBatch: (limit: number) => Promise<number>): Promise<number> {
  let total = 0;
  for (;;) {
    const deleted = await deleteBatch(batch);
    total += deleted;
    if (deleted < batch) return total;
  }
}

/** The `n` a counting statement answers. */
async function counted(db: SqlClient, statement: Statement): Promise<number> {
  const [row] = await db.query<{ n: number }>(statement);
  return row?.n ?? 0;
}

/**
 * Deletes, in batches, the rows of `table` whose `endedAt` lies more than `age` ago, picking them
 * by their `key` columns. Table, key and expression are fixed text from the caller's code, never input.
 */
export function deleteEnded(
  orm: MikroORM,
  target: { table: string; key: string; endedAt: string },
  age: { hours?: number; days?: number },
  batch = PRUNE_BATCH,
): Promise<number> {
  const db = pooledSql(orm.em.fork());
  const [table, key, endedAt] = [fixedSql(target.table), fixedSql(target.key), fixedSql(target.endedAt)];
  return inBatches(batch, (limit) =>
    counted(
      db,
      sql`with gone as (
            delete from ${table} where (${key}) in (
              select ${key} from ${table}
               where ${endedAt} < now() - make_interval(days => ${age.days ?? 0}, hours => ${age.hours ?? 0})
               limit ${limit} for update skip locked)
            returning 1)
          select count(*)::int as n from gone`,
    ),
  );
}

/**
 * Identifier reads and staff actions older than six years, through the database's own prune
 * functions (migration 0014): the only way an audit row can go.
 */
export async function pruneAuditTrails(orm: MikroORM, batch = PRUNE_BATCH): Promise<number> {
  const db = pooledSql(orm.em.fork());
  const reads = await inBatches(batch, (limit) => counted(db, sql`select prune_identifier_audit(${limit}) as n`));
  const actions = await inBatches(batch, (limit) => counted(db, sql`select prune_staff_action(${limit}) as n`));
  return reads + actions;
}

/**
 * Jobs graphile-worker gave up on, 30 days after their last attempt (a failed attempt moves
 * `run_at` a backoff past it; marking a job failed by hand moves `updated_at`). Completed jobs
 * need nothing: graphile-worker deletes them itself. Deleted through its `complete_jobs`, which
 * leaves a locked job alone.
 */
export function pruneFailedJobs(orm: MikroORM, batch = PRUNE_BATCH): Promise<number> {
  const db = pooledSql(orm.em.fork());
  return inBatches(batch, (limit) =>
    counted(
      db,
      sql`select count(*)::int as n from graphile_worker.complete_jobs(array(
            select id from graphile_worker.jobs
             where attempts >= max_attempts and locked_at is null
               and greatest(run_at, updated_at) < now() - make_interval(days => ${RETENTION.failedJobDays})
             order by id limit ${limit}))`,
    ),
  );
}

/** Sign-in sessions and emailed links 30 days after they stopped working. */
export async function pruneEndedSignIns(orm: MikroORM, batch = PRUNE_BATCH): Promise<number> {
  const age = { days: RETENTION.endedSignInDays };
  // least() skips nulls: a session ends when revoked or when it expires, whichever comes first;
  // a link when used or when it expires.
  const sessions = await deleteEnded(orm, { table: 'auth_session', key: 'id', endedAt: 'least(revoked_at, expires_at)' }, age, batch);
  const links = await deleteEnded(orm, { table: 'account_token', key: 'id', endedAt: 'least(used_at, expires_at)' }, age, batch);
  return sessions + links;
}

/** The development mailbox's .eml files written more than seven days ago; nothing when the folder is absent. */
export async function pruneDevMailbox(folder: string): Promise<number> {
  const names = await readdir(folder).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return [];
    throw error;
  });
  const cutoff = Date.now() - RETENTION.devMailDays * 86_400_000;
  let removed = 0;
  for (const name of names.filter((n) => n.endsWith('.eml'))) {
    const path = join(folder, name);
    if ((await stat(path)).mtimeMs < cutoff) {
      await unlink(path);
      removed++;
    }
  }
  return removed;
}
