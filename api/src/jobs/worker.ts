/**
 * The job worker each API process runs (turn it off with `KINDRED_WORKER=off` to run dedicated
 * worker processes instead): graphile-worker 0.17 with Kindred's tasks, its own small pool, and
 * recovery from killed workers.
 *
 * A killed process leaves its jobs locked; graphile-worker itself would only release them after
 * four hours. So every worker records a heartbeat (`job_worker`, migration 0008) three times per
 * `deadAfterSeconds` (30 s by default), and at start and at each beat every process releases the
 * jobs of workers whose heartbeat stopped that long ago (`force_unlock_workers`): they run again
 * within a minute, on any process.
 *
 * The runner itself is kept running through database outages (jobs/worker-supervisor.ts), and
 * its state is part of `/readyz`.
 */
import type { MikroORM } from '@mikro-orm/postgresql';
import { Logger as WorkerLogger, run, runMigrations, type Task, type TaskList } from 'graphile-worker';
import type { Logger } from 'pino';
import { pooledSql, sql } from '../db/sql.js';
import { safeErrorFields } from '../graphql/format-error.js';
import { countJobFailure } from '../metrics/series.js';
import { type JobWorkerState, superviseRunner } from './worker-supervisor.js';

/** A task: what runs for each job of one identifier; it reads what it needs from its payload's ids. */
export type JobTask = (payload: Record<string, unknown>) => Promise<void>;

export interface JobWorkerOptions {
  orm: MikroORM;
  connectionString: string;
  logger: Logger;
  tasks: Record<string, JobTask>;
  /** Jobs run at once in this process (default 2). Its pool has two connections more. */
  concurrency?: number;
  /** How often a waiting worker looks for jobs scheduled in the future, such as retries (ms, default 1000). */
  pollIntervalMs?: number;
  /** A worker silent this long is dead and its jobs are released (seconds, default 30; `KINDRED_WORKER_DEAD_AFTER_SECONDS`). */
  deadAfterSeconds?: number;
}

/** The default for `deadAfterSeconds`; each worker beats three times within it. */
const DEAD_AFTER_SECONDS = 30;

/** graphile-worker's own log lines go to debug: they can quote a failed job's error message. */
function workerLogger(logger: Logger) {
  return new WorkerLogger(() => (level, message) => {
    if (level === 'error' || level === 'warning') logger.warn({ component: 'job-worker' }, 'job worker reported a problem');
    else logger.debug({ component: 'job-worker', message }, 'job worker');
  });
}

/**
 * A failing task's error is stored by graphile-worker in its `last_error` column and could quote a
 * value (an SMTP server's refusal names the address). It is logged safely here and replaced by
 * its class and code before it reaches the queue.
 */
function guarded(name: string, task: JobTask, logger: Logger): Task {
  return async (payload, helpers) => {
    try {
      await task((payload ?? {}) as Record<string, unknown>);
    } catch (error) {
      const fields = safeErrorFields(error);
      logger.error({ task: name, jobId: helpers.job.id, attempts: helpers.job.attempts, err: fields }, 'job failed; it will be retried');
      throw new Error(`${String(fields.name ?? 'Error')}${fields.sqlState ? ` (${String(fields.sqlState)})` : ''}`);
    }
  };
}

/** Installs (or upgrades) graphile-worker's own schema; runs before Kindred's migrations. */
export function installJobQueue(connectionString: string): Promise<void> {
  return runMigrations({ connectionString, maxPoolSize: 1 });
}

/** This process's job worker, as `startJobWorker` returns it. */
export interface JobWorker {
  /** `ready` while its runner runs and reaches the queue (`/readyz`). */
  state(): JobWorkerState;
  /** Lets running jobs finish (graceful), then releases them. */
  stop(): Promise<void>;
}

/**
 * Starts this process's worker, kept running through database outages by `superviseRunner`
 * (jobs/worker-supervisor.ts).
 */
export async function startJobWorker(options: JobWorkerOptions): Promise<JobWorker> {
  const { orm, logger } = options;
  const deadAfter = options.deadAfterSeconds ?? DEAD_AFTER_SECONDS;
  const db = pooledSql(orm.em.fork());
  // The ids of the current runner's workers: a runner that ended takes its ids with it, so its
  // heartbeat stops and its locked jobs are released like a killed process's.
  let workerIds = new Set<string>();

  const beat = async () => {
    if (workerIds.size === 0) return;
    await db.query(
      sql`insert into job_worker (worker_id, seen_at) select unnest(${[...workerIds]}::text[]), now()
          on conflict (worker_id) do update set seen_at = excluded.seen_at`,
    );
  };
  const releaseDead = async () => {
    const [row] = await db.query<{ released: number }>(
      sql`with dead as (
            select distinct j.locked_by from graphile_worker.jobs j
             where j.locked_by is not null and j.locked_at < now() - ${deadAfter} * interval '1 second'
               and not exists (select 1 from job_worker w where w.worker_id = j.locked_by and w.seen_at > now() - ${deadAfter} * interval '1 second'))
          select graphile_worker.force_unlock_workers(array(select locked_by from dead)) is not null as done,
                 (select count(*)::int from dead) as released`,
    );
    if (row && row.released > 0) logger.warn({ workers: row.released }, 'released the jobs of workers that stopped');
    await db.query(sql`delete from job_worker where seen_at < now() - interval '1 day'`);
  };
  const beatAndRelease = () =>
    beat()
      .then(releaseDead)
      .catch((error: unknown) => logger.warn({ err: safeErrorFields(error) }, 'job worker heartbeat failed'));

  const taskList: TaskList = Object.fromEntries(Object.entries(options.tasks).map(([name, task]) => [name, guarded(name, task, logger)]));
  const supervised = await superviseRunner(logger, (events) => {
    const ids = new Set<string>();
    workerIds = ids;
    events.on('worker:create', ({ worker }) => {
      ids.add(worker.workerId);
    });
    // Every failed attempt, whatever failed (the task, or graphile-worker around it).
    events.on('job:error', ({ job }) => countJobFailure(job.task_identifier));
    return run({
      connectionString: options.connectionString,
      concurrency: options.concurrency ?? 2,
      maxPoolSize: (options.concurrency ?? 2) + 2,
      pollInterval: options.pollIntervalMs ?? 1000,
      noHandleSignals: true,
      taskList,
      events,
      logger: workerLogger(logger),
    });
  });
  await beatAndRelease();
  const timer = setInterval(() => void beatAndRelease(), (deadAfter * 1000) / 3);
  timer.unref();
  return {
    state: supervised.state,
    async stop() {
      clearInterval(timer);
      await supervised.stop();
      if (workerIds.size > 0) await db.query(sql`delete from job_worker where worker_id = any(${[...workerIds]}::text[])`);
    },
  };
}
