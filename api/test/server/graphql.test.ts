/**
 * The GraphQL endpoint alone (app/server/graphql.ts) on the HTTP layer, over a real database of
 * its own: a context per request (its viewer from its own bearer, header or cookie, even with
 * many requests in flight at once), the `x-sql-statements` header counting each request's own
 * statements on /graphql only and never in production, introspection only outside production,
 * Apollo's CSRF prevention standing in front of the session cookie, and the public cache's hooks
 * (served from the cache when given one, never otherwise).
 */
import { randomUUID } from 'node:crypto';
import type { MikroORM } from '@mikro-orm/postgresql';
import type { FastifyInstance } from 'fastify';
import type { GraphQLSchema } from 'graphql';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createAttemptLimiter } from '../../src/authz/attempt-limits.js';
import { newSecret, SESSION_PREFIX, secretHash } from '../../src/authz/credentials.js';
import { PublicCache } from '../../src/graphql/public-cache.js';
import { openOrm } from '../../src/app/orm.js';
import { createSchema } from '../../src/app/schema.js';
import { identify, registerGraphql } from '../../src/app/server/graphql.js';
import { createHttpServer } from '../../src/app/server/http.js';
import { SESSION_COOKIE } from '../../src/app/server/session-cookie.js';
import { freshSeatFields } from '../../src/modules/groups/index.js';
import { arrangeSeatFixture, createOpenGroup, type SeatFixture } from '../support/seat-fixture.js';
import { createTestDatabase, type TestDatabase } from '../support/test-database.js';
import { captureLogs, type RawResponse, send } from './helpers.js';

let db: TestDatabase;
let orm: MikroORM;
let schema: GraphQLSchema;
let fixture: SeatFixture;
/** A live admin session and one that expired an hour ago. */
let adminToken: string;
let expiredToken: string;

beforeAll(async () => {
  db = await createTestDatabase();
  orm = await openOrm(db.url, 5);
  schema = await createSchema();
  fixture = await arrangeSeatFixture(db);
  await createOpenGroup(db, fixture, 5, 'Endpoint Group');
  adminToken = newSecret(SESSION_PREFIX);
  expiredToken = newSecret(SESSION_PREFIX);
  const accountId = randomUUID();
  await db.query(
    `insert into account (id, email, email_index, password_hash, role, activated_at, approved_at)
     values ($1, 'sealed', sha256('endpoint.admin'), 'not-a-hash', 'ADMIN', now(), now())`,
    [accountId],
  );
  await db.query(
    `insert into auth_session (id, account_id, token_hash, expires_at)
     values (gen_random_uuid(), $1, $2, now() + interval '1 hour'), (gen_random_uuid(), $1, $3, now() - interval '1 hour')`,
    [accountId, secretHash(adminToken), secretHash(expiredToken)],
  );
});
afterAll(async () => {
  await orm?.close(true);
  await db?.drop();
});

const running: { app: FastifyInstance; stop(): Promise<void> }[] = [];
afterEach(async () => {
  for (const server of running.splice(0)) {
    await server.stop();
    await server.app.close();
  }
});

/** The HTTP layer with the GraphQL endpoint and one route of another part, listening. */
async function start({ production = false, cache = false } = {}) {
  const { logger } = captureLogs();
  const { app } = await createHttpServer({ logger });
  const publicCache = cache
    ? new PublicCache(
        schema,
        () => orm.em.fork(),
        logger,
        (request) => identify(orm, request, 'optional'),
        freshSeatFields,
      )
    : null;
  const graphql = await registerGraphql(app, {
    orm,
    logger,
    schema,
    production,
    attempts: createAttemptLimiter(1_000_000),
    staffSecondFactor: 'optional',
    publicCache,
  });
  app.get('/elsewhere', async () => ({ ok: true }));
  const url = await app.listen({ port: 0, host: '127.0.0.1' });
  running.push({ app, stop: graphql.stop });
  const post = (query: string, headers: Record<string, string> = {}) =>
    send(`${url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify({ query }),
    });
  return { url, post };
}

const parsed = (answer: RawResponse) => ({ status: answer.status, body: JSON.parse(answer.text) });
const VIEWER = '{ viewer { role } }';
const CATALOGUE = '{ groups(first: 5) { nodes { title } } }';

describe('request context', () => {
  it('gives every request its own viewer, from its own header or cookie, with many requests in flight at once', async () => {
    const { post } = await start();
    const partner = { authorization: `Bearer ${fixture.partner.apiKey}` };
    const admin = { authorization: `Bearer ${adminToken}` };
    const adminCookie = { cookie: `${SESSION_COOKIE}=${adminToken}` };
    const kinds = [
      { headers: {}, role: 'ANONYMOUS' },
      { headers: partner, role: 'PARTNER' },
      { headers: admin, role: 'ADMIN' },
      { headers: adminCookie, role: 'ADMIN' },
      // A cookie that is not valid is ignored (and cleared); the header still decides.
      { headers: { ...partner, cookie: `${SESSION_COOKIE}=${expiredToken}` }, role: 'PARTNER' },
    ];
    const requests = Array.from({ length: 40 }, (_, i) => kinds[i % kinds.length]!);
    const answers = await Promise.all(requests.map(({ headers }) => post(VIEWER, headers)));
    expect(answers.map(parsed)).toEqual(requests.map(({ role }) => ({ status: 200, body: { data: { viewer: { role } } } })));
  });

  it('continues a lapsed cookie session as anonymous and clears the cookie, but refuses a lapsed bearer header', async () => {
    const { post } = await start();
    const cookie = await post(VIEWER, { cookie: `${SESSION_COOKIE}=${expiredToken}` });
    expect({ ...parsed(cookie), setCookie: cookie.headers['set-cookie'] }).toEqual({
      status: 200,
      body: { data: { viewer: { role: 'ANONYMOUS' } } },
      setCookie: [`${SESSION_COOKIE}=; Max-Age=0; Path=/; Expires=Thu, 01 Jan 1970 00:00:00 GMT; HttpOnly; SameSite=Strict`],
    });
    const header = await post(VIEWER, { authorization: `Bearer ${expiredToken}` });
    expect({ ...parsed(header), setCookie: header.headers['set-cookie'] }).toEqual({
      status: 401,
      body: {
        errors: [{ message: 'This session has expired or was signed out. Sign in again.', extensions: { code: 'UNAUTHENTICATED' } }],
      },
      setCookie: undefined,
    });
  });
});

describe('x-sql-statements', () => {
  it('counts the statements of each request, apart from those running at the same time, on /graphql only', async () => {
    const { url, post } = await start();
    const admin = { authorization: `Bearer ${adminToken}` };
    // Anonymous viewer: no statement. Admin: one (the session lookup). Catalogue: one more.
    const cases = [
      { query: VIEWER, headers: {}, count: '0' },
      { query: VIEWER, headers: admin, count: '1' },
      { query: CATALOGUE, headers: {}, count: '1' },
      { query: CATALOGUE, headers: admin, count: '2' },
    ];
    const requests = Array.from({ length: 24 }, (_, i) => cases[i % cases.length]!);
    const answers = await Promise.all(requests.map(({ query, headers }) => post(query, headers)));
    expect(answers.map((a) => ({ status: a.status, count: a.headers['x-sql-statements'] }))).toEqual(
      requests.map(({ count }) => ({ status: 200, count })),
    );
    expect('x-sql-statements' in (await send(`${url}/elsewhere`)).headers).toBe(false);
  });

  it('is never sent in production', async () => {
    const { post } = await start({ production: true });
    const answer = await post(CATALOGUE, { authorization: `Bearer ${adminToken}` });
    expect({ status: answer.status, header: 'x-sql-statements' in answer.headers }).toEqual({ status: 200, header: false });
  });
});

describe('schema details', () => {
  it('answers introspection outside production only', async () => {
    const INTROSPECT = '{ __schema { queryType { name } } }';
    expect(parsed(await (await start()).post(INTROSPECT))).toEqual({
      status: 200,
      body: { data: { __schema: { queryType: { name: 'Query' } } } },
    });
    const production = parsed(await (await start({ production: true })).post(INTROSPECT));
    expect(production).toEqual({
      status: 400,
      body: {
        errors: [
          {
            message:
              'GraphQL introspection is not allowed by Apollo Server, but the query contained __schema or __type. To enable introspection, pass introspection: true to ApolloServer in production',
            locations: [{ line: 1, column: 3 }],
            extensions: { code: 'BAD_USER_INPUT', reason: 'GRAPHQL_VALIDATION_FAILED' },
          },
        ],
      },
    });
  });
});

describe('CSRF prevention', () => {
  it('refuses a simple cross-site GET carrying the session cookie, and answers it with a preflight header', async () => {
    const { url } = await start();
    const cookie = { cookie: `${SESSION_COOKIE}=${adminToken}` };
    const target = `${url}/graphql?query=${encodeURIComponent(VIEWER)}`;
    const simple = parsed(await send(target, { headers: cookie }));
    expect(simple).toEqual({
      status: 400,
      body: {
        errors: [
          { message: expect.stringMatching(/cross-site request forgery/i), extensions: { code: 'BAD_USER_INPUT', reason: 'BAD_REQUEST' } },
        ],
      },
    });
    expect(parsed(await send(target, { headers: { ...cookie, 'apollo-require-preflight': 'true' } }))).toEqual({
      status: 200,
      body: { data: { viewer: { role: 'ADMIN' } } },
    });
  });
});

describe('public cache hooks', () => {
  it('serves a repeated public answer from the cache when given one, and never without it', async () => {
    const cached = await start({ cache: true });
    const first = await cached.post(CATALOGUE);
    const second = await cached.post(CATALOGUE);
    expect([first, second].map((a) => ({ ...parsed(a), cache: a.headers['x-kindred-cache'] }))).toEqual([
      { status: 200, body: { data: { groups: { nodes: [{ title: 'Endpoint Group' }] } } }, cache: undefined },
      { status: 200, body: { data: { groups: { nodes: [{ title: 'Endpoint Group' }] } } }, cache: 'hit' },
    ]);
    expect(second.text).toBe(first.text);

    const uncached = await start({ cache: false });
    const answers = [await uncached.post(CATALOGUE), await uncached.post(CATALOGUE)];
    expect(answers.map((a) => ({ status: a.status, cache: a.headers['x-kindred-cache'], sql: a.headers['x-sql-statements'] }))).toEqual([
      { status: 200, cache: undefined, sql: '1' },
      { status: 200, cache: undefined, sql: '1' },
    ]);
  });
});
