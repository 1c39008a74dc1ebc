import rateLimit from '@fastify/rate-limit';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Redis } from 'ioredis';
import { ErrorCode } from '../../graphql/errors.js';

/** Requests of one client share a bucket: its API key or session token, else its address. */
function rateLimitKey(request: FastifyRequest): string {
  const auth = request.headers.authorization;
  return auth ? `auth:${auth.slice(-24)}` : `ip:${request.ip}`;
}

/**
 * The per-client request rate limit, answered as RATE_LIMITED (HTTP 429) in GraphQL's shape.
 * Shared through Redis when several API processes run, in-process otherwise.
 */
export async function registerRateLimit(app: FastifyInstance, options: { perMinute: number; redis?: Redis }): Promise<void> {
  await app.register(rateLimit, {
    max: options.perMinute,
    timeWindow: '1 minute',
    keyGenerator: rateLimitKey,
    ...(options.redis ? { redis: options.redis, nameSpace: 'kindred-rl:' } : {}),
    // With the shared store unreachable, requests are served unlimited (and the store's client
    // logs it) rather than refused: the API stays available through a Redis outage.
    skipOnError: true,
    errorResponseBuilder: (_request, context) => ({
      statusCode: 429,
      errors: [
        { message: `Too many requests; try again in ${Math.ceil(context.ttl / 1000)} s.`, extensions: { code: ErrorCode.RATE_LIMITED } },
      ],
    }),
  });
}
