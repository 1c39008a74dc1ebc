import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../support/test-app.js';

const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

let app: TestApp;
beforeAll(async () => {
  app = await startTestApp();
});
afterAll(() => app.close());

describe('HTTP surface', () => {
  it('answers liveness and readiness', async () => {
    expect(await (await fetch(`${app.url}/healthz`)).json()).toEqual({ status: 'ok' });
    const ready = await fetch(`${app.url}/readyz`);
    expect({ status: ready.status, body: await ready.json() }).toEqual({ status: 200, body: { status: 'ready' } });
  });

  it('reports the SQL statements of each request outside production', async () => {
    const response = await app.gql('{ viewer { role } }');
    expect(response.sqlStatements).toBe(0);
    const catalogue = await app.gql('{ groups(first: 5) { nodes { id } } }');
    expect(catalogue.sqlStatements).toBe(1);
  });
});

describe('rate limiting', () => {
  it('refuses a client past its limit with RATE_LIMITED (HTTP 429), in-process', async () => {
    const limited = await startTestApp({ rateLimitPerMinute: 3 });
    try {
      const statuses = [];
      for (let i = 0; i < 4; i++) statuses.push(await limited.gql('{ viewer { role } }'));
      expect(statuses.slice(0, 3).map((r) => r.status)).toEqual([200, 200, 200]);
      expect({ status: statuses[3]!.status, body: statuses[3]!.body }).toEqual({
        status: 429,
        body: { errors: [{ message: expect.stringMatching(/^Too many requests/), extensions: { code: 'RATE_LIMITED' } }] },
      });
    } finally {
      await limited.close();
    }
  });

  it('shares the limit between two API processes through Redis', async () => {
    const first = await startTestApp({ rateLimitPerMinute: 4, redisUrl: REDIS_URL });
    const second = await startTestApp({ rateLimitPerMinute: 4, redisUrl: REDIS_URL, database: first.db });
    try {
      // A distinct (unknown) bearer per run keys the limit, so reruns do not share a window.
      const headers = { authorization: `Bearer kss_${randomBytes(16).toString('hex')}` };
      const statuses: number[] = [];
      for (const target of [first, second, first, second, first])
        statuses.push((await target.gql('{ viewer { role } }', { headers })).status);
      // The first four are counted (refused as UNAUTHENTICATED: the token is unknown); the fifth is over the shared limit.
      expect(statuses).toEqual([401, 401, 401, 401, 429]);
    } finally {
      await second.close();
      await first.close();
    }
  });
});
