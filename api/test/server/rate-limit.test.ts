/**
 * The request rate limit alone (app/server/rate-limit.ts) on the HTTP layer it is registered on
 * (createHttpServer, whose error handler answers its refusals): one bucket per client — the tail
 * of its Authorization header, else its address (taken from X-Forwarded-For only behind a proxy)
 * — refused with RATE_LIMITED (HTTP 429) in GraphQL's shape before the handler runs; and, given
 * Redis (the real one on this machine), one bucket per client across processes, kept under
 * `kindred-rl:` for one minute.
 */
import { randomBytes } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { Redis } from 'ioredis';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { createHttpServer } from '../../src/app/server/http.js';
import { registerRateLimit } from '../../src/app/server/rate-limit.js';
import { captureLogs, type RawResponse, send } from './helpers.js';

const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

const running: FastifyInstance[] = [];
const clients: Redis[] = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((app) => app.close()));
});
afterAll(async () => {
  await Promise.all(clients.map((client) => client.quit()));
});

/** The HTTP layer with the rate limit and one route, listening; counts the requests its handler ran. */
async function start(options: { perMinute: number; redis?: Redis; trustProxy?: boolean }) {
  const { app } = await createHttpServer({ logger: captureLogs().logger, trustProxy: options.trustProxy });
  await registerRateLimit(app, { perMinute: options.perMinute, redis: options.redis });
  const handled = { count: 0 };
  app.get('/ping', async () => {
    handled.count++;
    return { pong: true };
  });
  const url = await app.listen({ port: 0, host: '127.0.0.1' });
  running.push(app);
  return { url, handled, ping: (headers: Record<string, string> = {}) => send(`${url}/ping`, { headers }) };
}

const bearer = (secret: string) => ({ authorization: `Bearer ${secret}` });
const uniqueToken = () => `kss_${randomBytes(24).toString('hex')}`;

/** A 429 as a whole: GraphQL's shape, RATE_LIMITED, and when to come back. */
function refusal(answer: RawResponse) {
  return {
    status: answer.status,
    body: JSON.parse(answer.text),
    limit: answer.headers['x-ratelimit-limit'],
    remaining: answer.headers['x-ratelimit-remaining'],
    retryAfter: answer.headers['retry-after'],
  };
}
const refused = (perMinute: number) => ({
  status: 429,
  body: {
    errors: [{ message: expect.stringMatching(/^Too many requests; try again in \d+ s\.$/), extensions: { code: 'RATE_LIMITED' } }],
  },
  limit: String(perMinute),
  remaining: '0',
  retryAfter: expect.stringMatching(/^(59|60)$/),
});

describe('in-process rate limit', () => {
  it('refuses a client past its limit with RATE_LIMITED before the handler runs, counting each client apart', async () => {
    const server = await start({ perMinute: 2 });
    const alice = bearer(uniqueToken());
    const bob = bearer(uniqueToken());

    const anonymous = [await server.ping(), await server.ping(), await server.ping()];
    expect(anonymous.map((a) => a.status)).toEqual([200, 200, 429]);
    expect(refusal(anonymous[2]!)).toEqual(refused(2));
    expect(anonymous[1]!.headers['x-ratelimit-remaining']).toBe('0');

    // Clients with a token have buckets of their own, not their address's (spent above).
    const tokens = [await server.ping(alice), await server.ping(bob), await server.ping(alice), await server.ping(alice)];
    expect(tokens.map((a) => a.status)).toEqual([200, 200, 200, 429]);
    expect(refusal(tokens[3]!)).toEqual(refused(2));
    expect((await server.ping(bob)).status).toBe(200);
    expect((await server.ping(bob)).status).toBe(429);

    expect(server.handled.count).toBe(2 + 4);
  });

  it('keys a token by its tail, so two sessions of one client address are limited apart', async () => {
    const server = await start({ perMinute: 1 });
    // Same prefix, different tails: different buckets.
    const prefix = 'kss_same-prefix-for-both-tokens-';
    expect((await server.ping(bearer(`${prefix}${'a'.repeat(24)}`))).status).toBe(200);
    expect((await server.ping(bearer(`${prefix}${'b'.repeat(24)}`))).status).toBe(200);
    expect((await server.ping(bearer(`${prefix}${'a'.repeat(24)}`))).status).toBe(429);
  });

  it('behind a proxy, counts each forwarded client address apart; otherwise every request is the proxy', async () => {
    const direct = await start({ perMinute: 1 });
    const first = { 'x-forwarded-for': '203.0.113.1' };
    const second = { 'x-forwarded-for': '203.0.113.2' };
    expect([(await direct.ping(first)).status, (await direct.ping(second)).status]).toEqual([200, 429]);

    const proxied = await start({ perMinute: 1, trustProxy: true });
    expect([(await proxied.ping(first)).status, (await proxied.ping(second)).status, (await proxied.ping(first)).status]).toEqual([
      200, 200, 429,
    ]);
  });
});

describe('rate limit shared through Redis', () => {
  it('counts one client across two processes in one Redis bucket that lasts a minute', async () => {
    const redisFor = () => {
      const client = new Redis(REDIS_URL, { maxRetriesPerRequest: 1 });
      clients.push(client);
      return client;
    };
    const one = await start({ perMinute: 3, redis: redisFor() });
    const two = await start({ perMinute: 3, redis: redisFor() });
    const inspector = redisFor();
    // A token of its own per run, so reruns (and other test files) never share its bucket.
    const token = uniqueToken();
    const other = uniqueToken();
    const key = `kindred-rl:auth:${token.slice(-24)}`;
    try {
      const statuses = [];
      for (const server of [one, two, one]) statuses.push((await server.ping(bearer(token))).status);
      expect(statuses).toEqual([200, 200, 200]);
      const over = await two.ping(bearer(token));
      expect(refusal(over)).toEqual(refused(3));
      expect(one.handled.count + two.handled.count).toBe(3);

      expect(await inspector.get(key)).toBe('4');
      const ttl = await inspector.pttl(key);
      expect(ttl).toBeGreaterThan(50_000);
      expect(ttl).toBeLessThanOrEqual(60_000);
      // The bucket is named by the token's tail only: the rest of the secret never reaches Redis.
      expect(await inspector.keys(`*${token.slice(4, -24)}*`)).toEqual([]);

      // Another client is not limited by it.
      expect((await one.ping(bearer(other))).status).toBe(200);
    } finally {
      await inspector.del(key, `kindred-rl:auth:${other.slice(-24)}`);
    }
  });
});

describe('with the shared store down', () => {
  it('serves requests unlimited rather than refusing them', async () => {
    // Nothing listens on port 1: every Redis command fails at once.
    const down = new Redis('redis://127.0.0.1:1', { lazyConnect: true, maxRetriesPerRequest: 0, enableOfflineQueue: false });
    down.on('error', () => {}); // expected: nothing listens there
    try {
      const server = await start({ perMinute: 1, redis: down });
      const statuses = [];
      for (let i = 0; i < 3; i++) statuses.push((await server.ping()).status);
      expect({ statuses, handled: server.handled.count }).toEqual({ statuses: [200, 200, 200], handled: 3 });
    } finally {
      down.disconnect();
    }
  });
});
