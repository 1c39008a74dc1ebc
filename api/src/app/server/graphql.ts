import { ApolloServer, type ApolloServerPlugin } from '@apollo/server';
import { ApolloServerPluginCacheControlDisabled } from '@apollo/server/plugin/disabled';
import { fastifyApolloDrainPlugin, fastifyApolloHandler } from '@as-integrations/fastify';
import type { MikroORM } from '@mikro-orm/postgresql';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { GraphQLSchema } from 'graphql';
import type { Logger } from 'pino';
import type { AttemptLimiter } from '../../authz/attempt-limits.js';
import { createIdentifierAudit } from '../../authz/identifier-audit.js';
import { ANONYMOUS, type Viewer } from '../../authz/viewer.js';
import { sqlStatements } from '../../db/statement-counter.js';
import { catalogueScopesPlugin } from '../../graphql/catalogue-scopes.js';
import type { Context } from '../../graphql/context.js';
import { formatErrorWith } from '../../graphql/format-error.js';
import { queryLimits } from '../../graphql/limits.js';
import type { PublicCache } from '../../graphql/public-cache.js';
import { authenticate } from '../../modules/accounts/index.js';
import { createLoaders } from '../loaders.js';
import type { RequestMetrics } from './request-metrics.js';
import { bearerOf, sessionCookieJar } from './session-cookie.js';

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

export interface GraphqlOptions {
  orm: MikroORM;
  logger: Logger;
  schema: GraphQLSchema;
  /** Production hides introspection, field suggestions and the `x-sql-statements` header. */
  production: boolean;
  attempts: AttemptLimiter;
  /** Whether staff must sign in with a second factor. */
  staffSecondFactor: 'required' | 'optional';
  /** Public catalogue answers served from the exact cache (graphql/public-cache.ts); null when off. */
  publicCache: PublicCache | null;
  /** Request timing for the metrics endpoint (server/request-metrics.ts); none when metrics are off. */
  metrics?: RequestMetrics;
}

/** Who sends the request (header or session cookie); throws UNAUTHENTICATED for a bad token. */
export function identify(orm: MikroORM, request: FastifyRequest, staffSecondFactor: 'required' | 'optional'): Promise<Viewer> {
  return authenticate(orm.em.fork(), bearerOf(request).header, staffSecondFactor);
}

/** The GraphQL endpoint at /graphql: Apollo Server, the request context, the public cache. */
export async function registerGraphql(app: FastifyInstance, options: GraphqlOptions): Promise<{ stop(): Promise<void> }> {
  const { orm, logger, production, publicCache } = options;
  const limits = queryLimits(production);
  const apollo = new ApolloServer<Context>({
    schema: options.schema,
    introspection: !production,
    hideSchemaDetailsFromClientErrors: production,
    includeStacktraceInErrorResponses: false,
    allowBatchedHttpRequests: false,
    // app/main.ts owns shutdown (finish in-flight requests, then close the database).
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
      ...(options.metrics ? [options.metrics.plugin] : []),
      // Kindred sets no cache hints; Apollo's default cache-control plugin would wrap every field
      // resolver to compute them (measured: a few per cent of a catalogue request's CPU).
      ApolloServerPluginCacheControlDisabled(),
      ...(publicCache ? [catalogueScopesPlugin] : []),
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
        viewer = request.authenticatedViewer ?? (await authenticate(em, bearer.header, options.staffSecondFactor));
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
        attempts: options.attempts,
        staffSecondFactor: options.staffSecondFactor,
        userAgent: request.headers['user-agent']?.slice(0, 200) ?? null,
        bearer: bearer.token,
        sessionCookie: cookies,
        operation: { name: null },
        catalogueReads: request.publicCacheEntry?.reads,
        audit: createIdentifierAudit(em, viewer, request.id, () => context.operation.name, logger),
      };
      options.metrics?.linkContext(context, request);
      return context;
    },
  });

  app.route<{ Reply: string }>({
    method: ['GET', 'POST', 'OPTIONS'],
    url: '/graphql',
    // Public catalogue answers come from the cache when nothing they read has changed. Its
    // statements count towards the request's (a hit's whole cost is its freshness check).
    preHandler: publicCache
      ? async (request, reply) => {
          const store = { count: 0 };
          request.sql = store;
          await sqlStatements.run(store, () => publicCache.serve(request, reply));
        }
      : undefined,
    onSend: publicCache
      ? async (request, reply, payload) => {
          if (request.publicCacheEntry) publicCache.store(request.publicCacheEntry, reply.statusCode, payload);
          return payload;
        }
      : undefined,
    handler(request, reply) {
      const store = request.sql ?? { count: 0 };
      request.sql = store;
      return sqlStatements.run(store, () => handler.call(this, request, reply));
    },
  });
  if (!production) {
    app.addHook('onSend', async (request, reply) => {
      if (request.sql) reply.header('x-sql-statements', String(request.sql.count));
    });
  }
  return { stop: () => apollo.stop() };
}
