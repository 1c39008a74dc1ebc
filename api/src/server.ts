import { randomBytes, randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import type { ServerResponse } from 'node:http';
import { join } from 'node:path';
import { ApolloServer, type ApolloServerPlugin } from '@apollo/server';
import { ApolloServerPluginCacheControlDisabled } from '@apollo/server/plugin/disabled';
import { fastifyApolloDrainPlugin, fastifyApolloHandler } from '@as-integrations/fastify';
import cookie from '@fastify/cookie';
import helmet from '@fastify/helmet';
import rateLimit from '@fastify/rate-limit';
import fastifyStatic from '@fastify/static';
import type { MikroORM } from '@mikro-orm/postgresql';
import Fastify, { type FastifyBaseLogger, type FastifyInstance, type FastifyReply, type FastifyRequest, LogController } from 'fastify';
import { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { ANONYMOUS, type Viewer } from './authz/viewer.js';
import type { Context } from './context.js';
import { sqlStatements } from './db/orm.js';
import { ErrorCode } from './graphql/errors.js';
import { formatErrorWith, safeErrorFields } from './graphql/format-error.js';
import { queryLimits } from './graphql/limits.js';
import { createLoaders } from './graphql/loaders.js';
import { createAttemptLimiter } from './authz/attempt-limits.js';
import { requestFields } from './logger.js';
import { authenticate } from './modules/accounts/authenticate.js';
import { bearerOf, sessionCookieJar } from './modules/accounts/session-cookie.js';
import { createAuditRecorder } from './modules/audit/audit-recorder.js';
import { advanceGroupLifecycles } from './modules/groups/group-lifecycle.js';
import { sweepDueHolds } from './modules/reservations/hold-sweeper.js';
import { purgeIdempotencyKeys } from './modules/reservations/idempotency-retention.js';
import { PublicCache, purgeCatalogueChanges } from './graphql/public-cache.js';
import { startPeriodic } from './periodic.js';
import { createSchema } from './schema.js';

export interface ServerOptions {
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
  /** How often this process sweeps expired holds (ms); 0 disables the sweeper. Default 5000. */
  holdSweepMs?: number;
  /** How often this process advances group lifecycles (ms); 0 disables it. Default 30000. */
  lifecycleMs?: number;
}

declare module 'fastify' {
  interface FastifyRequest {
    sql?: { count: number };
  }
}

/** Names the GraphQL operation in the context, for the identifier audit. */
const operationNamePlugin: ApolloServerPlugin<Context> = {
  async requestDidStart() {
    return {
      async didResolveOperation({ contextValue, operation }) {
        contextValue.operation.name = operation?.name?.value ?? null;
      },
    };
  },
};

function rateLimitKey(request: FastifyRequest): string {
  const auth = request.headers.authorization;
  return auth ? `auth:${auth.slice(-24)}` : `ip:${request.ip}`;
}

/** What a request Fastify refuses before GraphQL sees it gets: fixed messages that never quote the body. */
const HTTP_REFUSALS: Record<string, { reason: string; message: string }> = {
  FST_ERR_CTP_EMPTY_JSON_BODY: { reason: 'EMPTY_BODY', message: 'The request body is empty; send a JSON GraphQL request.' },
  FST_ERR_CTP_INVALID_JSON_BODY: { reason: 'INVALID_JSON', message: 'The request body is not valid JSON.' },
  FST_ERR_CTP_BODY_TOO_LARGE: { reason: 'PAYLOAD_TOO_LARGE', message: 'The request body is larger than 1 MB.' },
  FST_ERR_CTP_INVALID_MEDIA_TYPE: { reason: 'UNSUPPORTED_MEDIA_TYPE', message: 'Send the request as application/json.' },
};

/**
 * Errors of the HTTP layer (body parsing, rate limit) in GraphQL's shape and the closed set of
 * codes, as partners expect from any answer of /graphql — never Fastify's own `FST_ERR_*` body.
 */
function httpErrorHandler(
  this: FastifyInstance,
  error: { statusCode?: number; code?: string; errors?: unknown },
  request: FastifyRequest,
  reply: FastifyReply,
) {
  const status = typeof error.statusCode === 'number' ? error.statusCode : 500;
  if (status === 429 && Array.isArray(error.errors)) return reply.code(429).send({ errors: error.errors });
  if (status >= 400 && status < 500) {
    const refusal = HTTP_REFUSALS[error.code ?? ''] ?? { reason: 'BAD_REQUEST', message: 'This request is malformed.' };
    return reply
      .code(status)
      .send({ errors: [{ message: refusal.message, extensions: { code: ErrorCode.BAD_USER_INPUT, reason: refusal.reason } }] });
  }
  request.log.error({ err: safeErrorFields(error) }, 'unexpected error in the HTTP layer');
  return reply.code(500).send({
    errors: [
      {
        message: 'Something went wrong on our side. It has been logged; please try again.',
        extensions: { code: ErrorCode.INTERNAL_SERVER_ERROR },
      },
    ],
  });
}

/** Where each page's CSP nonce goes in admin/dist/index.html (admin/vite.config.ts, `html.cspNonce`). */
export const CSP_NONCE_PLACEHOLDER = '__KINDRED_CSP_NONCE__';

/**
 * The built admin app (admin/dist) at /, client-side routes answered with its index.html, under a
 * strict Content-Security-Policy: everything from this origin only (images also as data: URLs), no
 * framing, no plugins. PrimeVue writes its theme into <style> elements at run time, so
 * style-src also allows a nonce, new for every page and handed to the app in index.html's
 * `<meta property="csp-nonce">` (main.ts gives it to PrimeVue); inline styles without it, and
 * every inline script, stay refused. Encapsulated: the headers and their hooks never touch /graphql.
 */
async function adminApp(admin: FastifyInstance, { root }: { root: string }): Promise<void> {
  const page = await readFile(join(root, 'index.html'), 'utf8');
  if (!page.includes(CSP_NONCE_PLACEHOLDER)) {
    throw new Error(`${root}/index.html has no CSP nonce placeholder: rebuild the admin app (pnpm --filter @kindred/admin build).`);
  }
  const nonces = new WeakMap<ServerResponse, string>();
  const styleNonce = (_request: unknown, response: ServerResponse) => {
    const nonce = randomBytes(16).toString('base64');
    nonces.set(response, nonce);
    return `'nonce-${nonce}'`;
  };
  await admin.register(helmet, {
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'", styleNonce],
        imgSrc: ["'self'", 'data:'],
        connectSrc: ["'self'"],
        objectSrc: ["'none'"],
        frameAncestors: ["'none'"],
        baseUri: ["'self'"],
        formAction: ["'self'"],
      },
    },
    referrerPolicy: { policy: 'no-referrer' },
    xFrameOptions: { action: 'deny' },
    // HSTS belongs to whoever terminates TLS in front of Kindred, not to a server that may run on plain HTTP.
    strictTransportSecurity: false,
  });
  await admin.register(fastifyStatic, { root, prefix: '/', wildcard: false, index: false, globIgnore: ['index.html'] });

  const sendPage = (reply: FastifyReply) =>
    reply
      .type('text/html; charset=utf-8')
      .header('cache-control', 'no-store') // a page's nonce is for that response only
      .send(page.replaceAll(CSP_NONCE_PLACEHOLDER, nonces.get(reply.raw) ?? ''));
  admin.get('/', (_request, reply) => sendPage(reply));
  admin.get('/index.html', (_request, reply) => sendPage(reply));
  admin.setNotFoundHandler((request, reply) => {
    const wantsPage = request.method === 'GET' && (request.headers.accept ?? '').includes('text/html');
    if (wantsPage) return sendPage(reply); // client-side routes
    return reply.code(404).send({ errors: [{ message: 'Not found.', extensions: { code: ErrorCode.NOT_FOUND } }] });
  });
}

/** Builds the HTTP server: GraphQL at /graphql, liveness at /healthz, readiness at /readyz. */
export interface KindredServer {
  app: FastifyInstance;
  close(): Promise<void>;
}

export async function createServer(options: ServerOptions): Promise<KindredServer> {
  const { orm, logger, production } = options;
  const app = Fastify({
    loggerInstance: logger as unknown as FastifyBaseLogger,
    bodyLimit: 1024 * 1024,
    trustProxy: options.trustProxy ?? false,
    return503OnClosing: false,
    genReqId: () => randomUUID(),
    // One line per request (below), not Fastify's two.
    logController: new LogController({ disableRequestLogging: true }),
  });
  // The request line is built here from fixed fields (requestFields, status, time), never a
  // header, URL or body, so it skips the redaction pass — which was most of the cost of
  // logging a request (packages/bench storm profile).
  const asIs = (value: unknown) => value;
  const requestLog = logger.child({}, { redact: [], serializers: { req: asIs, res: asIs } });
  app.addHook('onResponse', async (request, reply) => {
    requestLog.info(
      {
        reqId: request.id,
        req: requestFields(request),
        res: { statusCode: reply.statusCode },
        responseTime: reply.elapsedTime,
      },
      'request completed',
    );
  });
  app.setErrorHandler(httpErrorHandler);

  await app.register(cookie);
  const redis = options.redisUrl ? new Redis(options.redisUrl, { lazyConnect: false, maxRetriesPerRequest: 1 }) : undefined;
  await app.register(rateLimit, {
    max: options.rateLimitPerMinute ?? 1200,
    timeWindow: '1 minute',
    keyGenerator: rateLimitKey,
    ...(redis ? { redis, nameSpace: 'kindred-rl:' } : {}),
    errorResponseBuilder: (_request, context) => ({
      statusCode: 429,
      errors: [
        {
          message: `Too many requests; try again in ${Math.ceil(context.ttl / 1000)} s.`,
          extensions: { code: ErrorCode.RATE_LIMITED },
        },
      ],
    }),
  });

  const attempts = createAttemptLimiter(options.attemptsPerMinute ?? 10, redis);
  const limits = queryLimits(production);
  const schema = await createSchema();
  const publicCache = options.publicCache === false ? null : new PublicCache(schema, () => orm.em.fork(), logger);
  const apollo = new ApolloServer<Context>({
    schema,
    introspection: !production,
    hideSchemaDetailsFromClientErrors: production,
    includeStacktraceInErrorResponses: false,
    allowBatchedHttpRequests: false,
    // main.ts owns shutdown (finish in-flight requests, then close the database).
    stopOnTerminationSignals: false,
    validationRules: limits.validationRules,
    parseOptions: limits.parseOptions,
    formatError: formatErrorWith(logger),
    logger: {
      debug: () => {},
      info: () => {},
      warn: () => logger.warn('apollo warning'),
      error: () => logger.error('apollo error'),
    },
    plugins: [
      ...(limits.plugins as ApolloServerPlugin<Context>[]),
      fastifyApolloDrainPlugin(app),
      operationNamePlugin,
      // Kindred sets no cache hints; Apollo's default cache-control plugin would wrap every field
      // resolver to compute them (measured: a few per cent of a catalogue request's CPU).
      ApolloServerPluginCacheControlDisabled(),
    ],
  });
  await apollo.start();

  const handler = fastifyApolloHandler(apollo, {
    context: async (request, reply): Promise<Context> => {
      const em = orm.em.fork();
      let bearer = bearerOf(request);
      const cookies = sessionCookieJar(request, reply);
      let viewer: Viewer;
      try {
        viewer = request.authenticatedViewer ?? (await authenticate(em, bearer.header));
      } catch (error) {
        // A browser whose cookie session lapsed (expired, signed out elsewhere) continues as
        // anonymous with the cookie cleared, so it can see `viewer.role` and sign in again.
        // A lapsed bearer header stays a 401: an API client must notice.
        if (!bearer.fromCookie) throw error;
        cookies.clear();
        bearer = { header: undefined, token: undefined, fromCookie: false };
        viewer = ANONYMOUS;
      }
      const context: Context = {
        requestId: request.id,
        viewer,
        em,
        loaders: createLoaders(em, viewer),
        clientIp: request.ip,
        attempts,
        bearer: bearer.token,
        sessionCookie: cookies,
        operation: { name: null },
        audit: createAuditRecorder(em, viewer, request.id, () => context.operation.name, logger),
      };
      return context;
    },
  });

  app.route<{ Reply: string }>({
    method: ['GET', 'POST', 'OPTIONS'],
    url: '/graphql',
    // Public catalogue answers come from the cache when nothing they read has changed.
    preHandler: publicCache ? async (request, reply) => void (await publicCache.serve(request, reply)) : undefined,
    onSend: publicCache
      ? async (request, reply, payload) => {
          if (request.publicCacheEntry) publicCache.store(request.publicCacheEntry, reply.statusCode, payload);
          return payload;
        }
      : undefined,
    handler(request, reply) {
      const store = { count: 0 };
      request.sql = store;
      return sqlStatements.run(store, () => handler.call(this, request, reply));
    },
  });

  // Once closing, answers close their connection: a kept-alive socket that was busy when the
  // server began to close would otherwise hold the process open until the drain timeout.
  let closing = false;
  app.addHook('onSend', async (_request, reply) => {
    if (closing) reply.header('connection', 'close');
  });
  // Requests arriving while closing are refused in GraphQL's shape (Fastify's own 503 is off):
  // nothing of theirs ran, so a client can safely retry them on another instance.
  app.addHook('onRequest', async (_request, reply) => {
    if (!closing) return;
    return reply
      .code(503)
      .header('retry-after', '1')
      .send({
        errors: [
          {
            message: 'This server is shutting down; nothing was done. Retry the request.',
            extensions: { code: ErrorCode.INTERNAL_SERVER_ERROR, reason: 'SHUTTING_DOWN' },
          },
        ],
      });
  });

  if (!production) {
    app.addHook('onSend', async (request, reply) => {
      if (request.sql) reply.header('x-sql-statements', String(request.sql.count));
    });
  }

  // The admin app shares the API's origin, so its session cookie can be SameSite=Strict.
  if (options.adminDist) await app.register(adminApp, { root: options.adminDist });

  app.get('/healthz', async () => ({ status: 'ok' }));
  app.get('/readyz', async (_request, reply) => {
    try {
      await orm.em.fork().execute('select 1');
      return { status: 'ready' };
    } catch {
      return reply.code(503).send({ status: 'database unavailable' });
    }
  });

  // Background work every process does; row locks with SKIP LOCKED keep processes from doubling it.
  const workers = [
    options.holdSweepMs === 0 ? null : startPeriodic(logger, 'hold sweep', options.holdSweepMs ?? 5000, () => sweepDueHolds(orm)),
    options.lifecycleMs === 0
      ? null
      : startPeriodic(logger, 'group lifecycle', options.lifecycleMs ?? 30_000, () => advanceGroupLifecycles(orm)),
    startPeriodic(logger, 'idempotency purge', 3_600_000, () => purgeIdempotencyKeys(orm)),
    startPeriodic(logger, 'catalogue change purge', 60_000, () => purgeCatalogueChanges(orm.em.fork())),
  ];

  return {
    app,
    /** Graceful stop: refuses new requests, lets in-flight ones finish, then closes. */
    async close() {
      closing = true;
      await Promise.all(workers.map((worker) => worker?.stop()));
      await apollo.stop();
      await redis?.quit();
    },
  };
}
