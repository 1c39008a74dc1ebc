import { randomUUID } from 'node:crypto';
import { ApolloServer, type ApolloServerPlugin } from '@apollo/server';
import { fastifyApolloDrainPlugin, fastifyApolloHandler } from '@as-integrations/fastify';
import rateLimit from '@fastify/rate-limit';
import type { MikroORM } from '@mikro-orm/postgresql';
import Fastify, { type FastifyBaseLogger, type FastifyInstance, type FastifyRequest } from 'fastify';
import { Redis } from 'ioredis';
import type { Logger } from 'pino';
import type { Context } from './context.js';
import { sqlStatements } from './db/orm.js';
import { ErrorCode } from './graphql/errors.js';
import { formatErrorWith } from './graphql/format-error.js';
import { queryLimits } from './graphql/limits.js';
import { createLoaders } from './graphql/loaders.js';
import { authenticate } from './modules/accounts/authenticate.js';
import { createAuditRecorder } from './modules/audit/audit-recorder.js';
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
    genReqId: () => randomUUID(),
  });

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

  const limits = queryLimits(production);
  const apollo = new ApolloServer<Context>({
    schema: await createSchema(),
    introspection: !production,
    hideSchemaDetailsFromClientErrors: production,
    includeStacktraceInErrorResponses: false,
    allowBatchedHttpRequests: false,
    // main.ts owns shutdown (finish in-flight requests, then close the database).
    stopOnTerminationSignals: false,
    validationRules: limits.validationRules,
    formatError: formatErrorWith(logger),
    logger: {
      debug: () => {},
      info: () => {},
      warn: () => logger.warn('apollo warning'),
      error: () => logger.error('apollo error'),
    },
    plugins: [...(limits.plugins as ApolloServerPlugin<Context>[]), fastifyApolloDrainPlugin(app), operationNamePlugin],
  });
  await apollo.start();

  const handler = fastifyApolloHandler(apollo, {
    context: async (request): Promise<Context> => {
      const em = orm.em.fork();
      const viewer = await authenticate(em, request.headers.authorization);
      const context: Context = {
        requestId: request.id,
        viewer,
        em,
        loaders: createLoaders(em, viewer),
        bearer: request.headers.authorization?.replace(/^Bearer\s+/, ''),
        operation: { name: null },
        audit: createAuditRecorder(em, viewer, request.id, () => context.operation.name),
      };
      return context;
    },
  });

  app.route<{ Reply: string }>({
    method: ['GET', 'POST', 'OPTIONS'],
    url: '/graphql',
    handler(request, reply) {
      const store = { count: 0 };
      request.sql = store;
      return sqlStatements.run(store, () => handler.call(this, request, reply));
    },
  });

  if (!production) {
    app.addHook('onSend', async (request, reply) => {
      if (request.sql) reply.header('x-sql-statements', String(request.sql.count));
    });
  }

  app.get('/healthz', async () => ({ status: 'ok' }));
  app.get('/readyz', async (_request, reply) => {
    try {
      await orm.em.fork().execute('select 1');
      return { status: 'ready' };
    } catch {
      return reply.code(503).send({ status: 'database unavailable' });
    }
  });

  return {
    app,
    /** Graceful stop: refuses new requests, lets in-flight ones finish, then closes. */
    async close() {
      await apollo.stop();
      await redis?.quit();
    },
  };
}
