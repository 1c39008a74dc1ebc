/**
 * Start-up waits for PostgreSQL instead of dying (issue: crash safety with no supervisor): a
 * process started while the database is down, unreachable or still starting up ("the database
 * system is starting up", 57P03) retries with exponential backoff (0.25 s doubling to 5 s),
 * logging each wait with the reason's code, and starts once the database answers. Errors that
 * waiting cannot fix — wrong password, unknown database, no permission — fail at once.
 * `KINDRED_DB_WAIT_SECONDS` bounds the wait (default 600; 0 waits for ever).
 */
import pg from 'pg';
import pRetry from 'p-retry';
import type { Logger } from 'pino';

/** SQLSTATEs no amount of waiting fixes: the configuration is wrong. */
const PERMANENT = new Set(['28P01', '28000', '3D000', '42501']);

/** The reason an attempt failed, as a code (never the message, which can quote the URL). */
const codeOf = (error: unknown): string =>
  typeof (error as { code?: unknown }).code === 'string' ? (error as { code: string }).code : (error as Error).name;

export async function waitForDatabase(url: string, logger: Logger, maxWaitSeconds = 600): Promise<void> {
  const started = Date.now();
  await pRetry(
    async () => {
      const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 5000 });
      client.on('error', () => {}); // a connection dropped while we give up on it
      try {
        await client.connect();
        await client.query('select 1');
      } finally {
        await client.end().catch(() => {});
      }
    },
    {
      retries: Number.POSITIVE_INFINITY,
      factor: 2,
      minTimeout: 250,
      maxTimeout: 5000,
      maxRetryTime: maxWaitSeconds > 0 ? maxWaitSeconds * 1000 : Number.POSITIVE_INFINITY,
      shouldRetry: ({ error }) => !PERMANENT.has(codeOf(error)),
      onFailedAttempt: ({ error, attemptNumber, retryDelay }) => {
        if (PERMANENT.has(codeOf(error))) return;
        logger.warn(
          { reason: codeOf(error), attempt: attemptNumber, retryInMs: retryDelay, waitedMs: Date.now() - started },
          'database not ready: waiting for it',
        );
      },
    },
  );
  if (Date.now() - started > 1000) logger.info({ waitedMs: Date.now() - started }, 'database ready');
}

/** SQLSTATE classes of a database that went away: connection exceptions, admin shutdown, crash, starting up. */
const LOST_STATES = /^(08...|57P0[1-3])$/;
const LOST_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT']);

/** Whether an error says the database went away (a crash, a restart), not that the work was wrong. */
function connectionLost(error: unknown): boolean {
  const e = error as { code?: unknown; sqlState?: unknown; previous?: unknown; message?: unknown };
  for (const code of [e?.code, e?.sqlState]) {
    if (typeof code === 'string' && (LOST_STATES.test(code) || LOST_CODES.has(code))) return true;
  }
  if (typeof e?.message === 'string' && /Connection terminated|connection terminated|server closed the connection/.test(e.message))
    return true;
  return e?.previous ? connectionLost(e.previous) : false;
}

/**
 * Runs a start-up step that needs the database (migrations, demo data). If the database goes away
 * while it runs — PostgreSQL crashed or restarted under a process that was starting — the process
 * waits for it again and repeats the step instead of exiting: every migration, and the job
 * queue's, runs in its own transaction, so a step cut short left nothing half-done. Any other
 * error ends start-up as before.
 */
export async function retryWhileDatabaseLost<T>(url: string, logger: Logger, maxWaitSeconds: number, step: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await step();
    } catch (error) {
      if (!connectionLost(error) || attempt >= 10) throw error;
      logger.warn({ reason: codeOf(error), attempt }, 'database lost during start-up: waiting for it, then starting again');
      await waitForDatabase(url, logger, maxWaitSeconds);
    }
  }
}
