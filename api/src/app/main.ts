/**
 * `pnpm start`: uses DATABASE_URL or starts an embedded PostgreSQL, applies migrations, loads
 * the demo data on first start, serves the API, and shuts down gracefully on SIGTERM/SIGINT.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { resolveDatabase } from '@kindred/embedded-db';
import { safeErrorFields } from '../graphql/format-error.js';
import { createLogger } from '../logging/logger.js';
import { createMailer } from '../mail/mailer.js';
import { loadKeys } from './keys.js';
import { migrate, openOrm } from './orm.js';
import { DEMO_SIGN_INS, seedDemoIfEmpty } from './seeders/demo.seeder.js';
import { createServer } from './server.js';
import { createTasks } from './tasks.js';
import { retryWhileDatabaseLost, waitForDatabase } from './wait-for-database.js';

const logger = createLogger();
const production = process.env.NODE_ENV === 'production';

/** KINDRED_STAFF_MFA: `required` (the production default) or `optional` (the default elsewhere, so the demo's sign-ins work). */
function staffSecondFactorSetting(): 'required' | 'optional' | undefined {
  const setting = process.env.KINDRED_STAFF_MFA;
  if (setting === undefined || setting === '') return undefined;
  if (setting === 'required' || setting === 'optional') return setting;
  logger.fatal({ setting }, 'KINDRED_STAFF_MFA must be "required" or "optional"');
  process.exit(1);
}
/** METRICS_PORT (unset: no metrics endpoint) and METRICS_HOST (default 127.0.0.1, this machine only). */
function metricsSetting(): { port: number; host: string } | undefined {
  const setting = process.env.METRICS_PORT;
  if (setting === undefined || setting === '') return undefined;
  const metricsPort = Number(setting);
  if (!Number.isInteger(metricsPort) || metricsPort < 0 || metricsPort > 65_535) {
    logger.fatal({ setting }, 'METRICS_PORT must be a port number');
    process.exit(1);
  }
  return { port: metricsPort, host: process.env.METRICS_HOST || '127.0.0.1' };
}
const port = Number(process.env.PORT ?? 4000);
const host = process.env.HOST ?? '127.0.0.1';
// The admin app, when built (`pnpm --filter @kindred/admin build`), is served from this origin.
const builtAdmin = fileURLToPath(new URL('../../../admin/dist/', import.meta.url));
const adminDist = existsSync(`${builtAdmin}index.html`) ? builtAdmin : undefined;

// Mail goes through SMTP; without SMTP_URL, development writes it to .data/mail and the console.
const smtpUrl = process.env.SMTP_URL;
if (production && !smtpUrl) {
  logger.fatal('SMTP_URL is required in production: invitations and sign-in links are sent by mail');
  process.exit(1);
}
const devMailbox = fileURLToPath(new URL('../../../.data/mail/', import.meta.url));
const mailer = createMailer({ smtpUrl, devMailbox, from: process.env.MAIL_FROM });

// Personal data is stored encrypted: production needs its keys; development makes a pair once.
try {
  loadKeys(production);
} catch (error) {
  logger.fatal({ reason: error instanceof Error ? error.message : String(error) }, 'encryption keys missing or invalid');
  process.exit(1);
}

const db = await resolveDatabase({ onLog: (line) => logger.debug({ postgres: line }, 'embedded postgres') });
const waitSeconds = Number(process.env.KINDRED_DB_WAIT_SECONDS ?? 600);
try {
  await waitForDatabase(db.url, logger, waitSeconds);
} catch (error) {
  logger.fatal({ err: safeErrorFields(error) }, 'the database cannot be reached with this configuration');
  process.exit(1);
}
const orm = await retryWhileDatabaseLost(db.url, logger, waitSeconds, () => openOrm(db.url));
// The database may crash while this process starts: it waits for it and repeats the step.
const seeded = await retryWhileDatabaseLost(db.url, logger, waitSeconds, async () => {
  await migrate(orm);
  return process.env.KINDRED_DEMO_DATA === 'off' ? false : seedDemoIfEmpty(orm);
});
const server = await createServer({
  orm,
  logger,
  production,
  redisUrl: process.env.REDIS_URL,
  rateLimitPerMinute: process.env.RATE_LIMIT_PER_MINUTE ? Number(process.env.RATE_LIMIT_PER_MINUTE) : undefined,
  attemptsPerMinute: process.env.ATTEMPTS_PER_MINUTE ? Number(process.env.ATTEMPTS_PER_MINUTE) : undefined,
  trustProxy: process.env.TRUST_PROXY === 'true',
  staffSecondFactor: staffSecondFactorSetting(),
  publicCache: process.env.KINDRED_PUBLIC_CACHE !== 'off',
  metrics: metricsSetting(),
  adminDist,
  devMailbox: smtpUrl ? undefined : devMailbox,
  // Each API process runs a job worker unless KINDRED_WORKER=off (dedicated worker processes).
  jobs:
    process.env.KINDRED_WORKER === 'off'
      ? undefined
      : {
          connectionString: db.url,
          tasks: createTasks({ orm, mailer, publicUrl: process.env.PUBLIC_URL ?? `http://${host}:${port}` }),
          deadAfterSeconds: process.env.KINDRED_WORKER_DEAD_AFTER_SECONDS
            ? Number(process.env.KINDRED_WORKER_DEAD_AFTER_SECONDS)
            : undefined,
        },
});
const address = await server.app.listen({ port, host });
const url = address.replace('0.0.0.0', '127.0.0.1');

logger.info(
  {
    url: `${url}/graphql`,
    admin: adminDist ? `${url}/` : null,
    metrics: server.metricsUrl ?? null,
    embeddedDatabase: db.embedded,
    demoDataLoaded: seeded,
  },
  'Kindred is listening',
);
process.stdout.write(
  `${[
    '',
    `  Kindred API     ${url}/graphql`,
    adminDist ? `  Admin app       ${url}/` : '  Admin app       not built (pnpm --filter @kindred/admin build)',
    `  Health          ${url}/healthz  ${url}/readyz`,
    `  Metrics         ${server.metricsUrl ?? 'off (set METRICS_PORT)'}`,
    `  Database        ${db.embedded ? 'embedded PostgreSQL (data in .data/postgres)' : 'DATABASE_URL'}`,
    `  Mail            ${smtpUrl ? 'SMTP_URL' : `development mailbox: printed here and written to ${devMailbox}`}`,
    '',
    '  Demo sign-ins (login mutation):',
    ...DEMO_SIGN_INS.people.map((p) => `    ${p.role.padEnd(10)} ${p.email.padEnd(32)} ${p.password}`),
    `  Demo partner API key: ${DEMO_SIGN_INS.partnerApiKey}`,
    '',
  ].join('\n')}\n`,
);

let stopping = false;
async function shutdown(signal: string) {
  if (stopping) return;
  stopping = true;
  logger.info({ signal }, 'shutting down: finishing in-flight requests');
  try {
    await server.close();
    mailer.close();
    logger.info('http closed');
    await orm.close();
    logger.info('database pool closed');
    await db.stop();
  } catch (error) {
    logger.error({ err: safeErrorFields(error) }, 'shutdown failed');
    process.exitCode = 1;
  } finally {
    logger.info('stopped');
    logger.flush();
    // pino writes asynchronously and process.exit() drops a write still in flight (often this
    // very line): let the event loop drain, and exit anyway after a second should a handle linger.
    setTimeout(() => process.exit(), 1000).unref();
  }
}
process.on('SIGTERM', () => void shutdown('SIGTERM'));
process.on('SIGINT', () => void shutdown('SIGINT'));
