/**
 * The job queue every feature uses: graphile-worker on Kindred's own PostgreSQL
 * (docs/decisions/0008-jobs-and-mail.md). A job is added with SQL inside the caller's transaction,
 * so no job exists without the change that asked for it and no committed change loses its job.
 * Payloads carry ids only — never a personal identifier, a secret or health content: the task
 * reads what it needs when it runs.
 */
import { type SqlClient, sql } from '../db/sql.js';

/** A job's payload: ids and small flags, nothing a person could be recognised by. */
export type JobPayload = Record<string, string | number | boolean | null>;

export interface EnqueueOptions {
  /** Run no earlier than this (default: now). */
  runAt?: Date;
  /** Attempts before the job is given up (default 25, over about 3 days with exponential backoff). */
  maxAttempts?: number;
  /** At most one pending job per key: a newer one replaces it. */
  jobKey?: string;
}

/** Adds a job in the transaction `tx` is running (it commits or rolls back with it). */
export async function enqueue(tx: SqlClient, task: string, payload: JobPayload, options: EnqueueOptions = {}): Promise<void> {
  await tx.query(
    sql`select graphile_worker.add_job(${task}, ${JSON.stringify(payload)}::json,
          run_at => ${options.runAt ?? null}::timestamptz, max_attempts => ${options.maxAttempts ?? null}::int,
          job_key => ${options.jobKey ?? null}::text)`,
  );
}
