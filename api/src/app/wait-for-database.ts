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
