import type { MikroORM } from '@mikro-orm/postgresql';
import type { FastifyInstance } from 'fastify';
import { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { createAttemptLimiter } from '../authz/attempt-limits.js';
import { PublicCache } from '../graphql/public-cache.js';
import { type JobTask, startJobWorker } from '../jobs/worker.js';
import { startMetricsListener } from '../metrics/listener.js';
import { freshSeatFields } from '../modules/groups/index.js';
import { createSchema } from './schema.js';
import { adminApp } from './server/admin-app.js';
import { type BackgroundOptions, startBackgroundWork } from './server/background.js';
import { identify, registerGraphql } from './server/graphql.js';
import { readiness, registerHealth } from './server/health.js';
import { createHttpServer, notFoundHandler } from './server/http.js';
import { registerRateLimit } from './server/rate-limit.js';
import { registerRequestMetrics } from './server/request-metrics.js';

export interface ServerOptions extends BackgroundOptions {
  /** Run a job worker in this process with these tasks (api/src/jobs/worker.ts); none when absent. */
  jobs?: { connectionString: string; tasks: Record<string, JobTask>; pollIntervalMs?: number; deadAfterSeconds?: number };
  orm: MikroORM;
  logger: Logger;
  /** Production hides introspection and field suggestions and the SQL statement header. */
  production: boolean;
  /** Shared rate-limit store for several API processes; in-process when absent. */
  redisUrl?: string;
  /** Requests per minute per client (API key, session or IP). */
  rateLimitPerMinute?: number;
  /** Serve public catalogue answers from the exact cache (graphql/public-cache.ts). Default: on. */
  publicCache?: boolean;
  /** Folder of the built admin app (admin/dist), served at / on the API's origin. */
  adminDist?: string;
  /** Behind a load balancer: take the client address from X-Forwarded-For. */
  trustProxy?: boolean;
  /** Sign-in and self-registration attempts per minute per client address (and per email). Default 10. */
  attemptsPerMinute?: number;
  /** Whether staff must sign in with a second factor. Default: required in production, optional otherwise. */
  staffSecondFactor?: 'required' | 'optional';
  /** Serve Prometheus metrics on this port (`METRICS_PORT`; 0 picks a free one); none when absent. */
  metrics?: { port: number; host?: string };
}

/** A running Kindred server: GraphQL at /graphql, the admin app at /, health at /healthz and /readyz. */
export interface KindredServer {
  app: FastifyInstance;
  /** Where the metrics endpoint answers, when `metrics` was given. */
  metricsUrl?: string;
  /** Graceful stop: refuses new requests, lets in-flight ones finish, then closes. */
  close(): Promise<void>;
}

/** Assembles the server from its parts (app/server/); each part has its own test. */
export async function createServer(options: ServerOptions): Promise<KindredServer> {
  const { orm, logger, production } = options;
  const http = await createHttpServer({ logger, trustProxy: options.trustProxy });
  const { app } = http;
  const redis = options.redisUrl ? new Redis(options.redisUrl, { lazyConnect: false, maxRetriesPerRequest: 1 }) : undefined;
  await registerRateLimit(app, { perMinute: options.rateLimitPerMinute ?? 1200, redis });

  const schema = await createSchema(logger);
  const staffSecondFactor = options.staffSecondFactor ?? (production ? 'required' : 'optional');
  const publicCache =
    options.publicCache === false
      ? null
      : new PublicCache(
          schema,
          () => orm.em.fork(),
          logger,
          (request) => identify(orm, request, staffSecondFactor),
          freshSeatFields,
        );
  const requestMetrics = options.metrics ? registerRequestMetrics(app, schema) : undefined;
  const graphql = await registerGraphql(app, {
    orm,
    logger,
    schema,
    production,
    attempts: createAttemptLimiter(options.attemptsPerMinute ?? 10, redis),
    staffSecondFactor,
    publicCache,
    metrics: requestMetrics,
  });
  // The admin app shares the API's origin, so its session cookie can be SameSite=Strict; it
  // answers unknown paths itself (its pages, or NOT_FOUND).
  if (options.adminDist) await app.register(adminApp, { root: options.adminDist });
  else app.setNotFoundHandler(notFoundHandler);
  const stopBackground = startBackgroundWork(orm, logger, options);
  const worker = options.jobs ? await startJobWorker({ orm, logger, ...options.jobs }) : null;
  registerHealth(app, orm, worker);
  const metrics = options.metrics
    ? await startMetricsListener({ ...options.metrics, orm, logger, ready: async () => (await readiness(orm, worker)).status === 'ready' })
    : null;

  return {
    app,
    metricsUrl: metrics?.url,
    async close() {
      http.beginClosing();
      await stopBackground();
      await worker?.stop();
      await graphql.stop();
      await redis?.quit();
      // Last, so a scrape during the drain still answers.
      await metrics?.close();
    },
  };
}
