import { emailIndex } from '@kindred/crypto';
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
    expect({ status: ready.status, body: await ready.json() }).toEqual({
      status: 200,
      body: { status: 'ready', database: 'ready', jobWorker: 'off' },
    });
  });

  it('reports the SQL statements of each request outside production', async () => {
    const response = await app.gql('{ viewer { role } }');
    expect(response.sqlStatements).toBe(0);
    // The page, and the public cache's snapshot taken before it (a cacheable miss).
    const catalogue = await app.gql('{ groups(first: 5) { nodes { id } } }');
    expect(catalogue.sqlStatements).toBe(2);
    // Served from the cache: its freshness check alone.
    expect((await app.gql('{ groups(first: 5) { nodes { id } } }')).sqlStatements).toBe(1);
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

describe('attempt limits', () => {
  const LOGIN = `mutation($input: LoginInput!) { login(input: $input) { token userErrors { code } } }`;

  it('throttles sign-in attempts per email and refuses with RATE_LIMITED', async () => {
    const limited = await startTestApp({ attemptsPerMinute: 3 });
    try {
      const attempt = (email: string) => limited.gql(LOGIN, { variables: { input: { email, password: 'wrong-password-123' } } });
      const answers = [];
      for (let i = 0; i < 3; i++) answers.push((await attempt('someone@example.org')).body);
      expect(answers).toEqual(Array(3).fill({ data: { login: { token: null, userErrors: [{ code: 'INVALID_CREDENTIALS' }] } } }));
      const refused = await attempt('someone@example.org');
      expect(refused.body).toEqual({
        data: null,
        errors: [
          {
            message: expect.stringMatching(/^Too many attempts/),
            path: ['login'],
            locations: [{ line: 1, column: 33 }],
            extensions: { code: 'RATE_LIMITED' },
          },
        ],
      });
    } finally {
      await limited.close();
    }
  });

  it('throttles anonymous self-registration per client address', async () => {
    const limited = await startTestApp({ attemptsPerMinute: 2 });
    const REGISTER = `mutation($input: RegisterMemberInput!) { registerMember(input: $input) { userErrors { code } } }`;
    try {
      const codes = [];
      for (let i = 0; i < 3; i++) {
        const input = {
          displayName: 'Jo',
          timeZone: 'UTC',
          legalName: 'Jo Example',
          email: `jo${i}@example.org`,
          password: 'a-long-enough-password',
        };
        const response = await limited.gql(REGISTER, { variables: { input } });
        codes.push(response.body.errors?.[0]?.extensions?.code ?? 'OK');
      }
      expect(codes).toEqual(['OK', 'OK', 'RATE_LIMITED']);
      expect(await limited.db.query('select count(*)::int as n from member')).toEqual([{ n: 2 }]);
    } finally {
      await limited.close();
    }
  });
});

describe('cookie sessions for Kindred web apps', () => {
  const REGISTER = `mutation($input: RegisterMemberInput!) { registerMember(input: $input) { userErrors { code } } }`;
  const LOGIN = `mutation($input: LoginInput!) { login(input: $input) { token viewer { role } userErrors { code } } }`;
  const post = (body: object, cookie?: string) =>
    fetch(`${app.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(cookie ? { cookie } : {}) },
      body: JSON.stringify(body),
    });

  it('keeps the session in an httpOnly SameSite=Strict cookie, out of the payload, and drops a lapsed one', async () => {
    const input = {
      displayName: 'Cookie',
      timeZone: 'UTC',
      legalName: 'Cookie Person',
      email: 'cookie@example.org',
      password: 'cookie-password-123',
    };
    expect((await app.gql(REGISTER, { variables: { input } })).body).toEqual({ data: { registerMember: { userErrors: [] } } });
    // Stands for following the mailed confirmation link (that flow: trust-model.test.ts).
    await app.db.query(`update account set activated_at = now() where email_index = $1`, [emailIndex(input.email)]);

    const login = await post({ query: LOGIN, variables: { input: { email: input.email, password: input.password, useCookie: true } } });
    expect(await login.json()).toEqual({ data: { login: { token: null, viewer: { role: 'MEMBER' }, userErrors: [] } } });
    const setCookie = login.headers.get('set-cookie') ?? '';
    expect(setCookie).toMatch(/^kindred_session=kss_[\w-]+; Path=\/; Expires=.+; HttpOnly; SameSite=Strict$/);
    const cookie = setCookie.split(';')[0]!;

    expect(await (await post({ query: '{ viewer { role } }' }, cookie)).json()).toEqual({ data: { viewer: { role: 'MEMBER' } } });

    const logout = await post({ query: 'mutation { logout { loggedOut } }' }, cookie);
    expect(await logout.json()).toEqual({ data: { logout: { loggedOut: true } } });
    expect(logout.headers.get('set-cookie')).toMatch(/^kindred_session=; .*Expires=Thu, 01 Jan 1970/);

    // The revoked cookie: the browser continues anonymously and is told to forget it.
    const after = await post({ query: '{ viewer { role } }' }, cookie);
    expect({ status: after.status, body: await after.json() }).toEqual({ status: 200, body: { data: { viewer: { role: 'ANONYMOUS' } } } });
    expect(after.headers.get('set-cookie')).toMatch(/^kindred_session=;/);
    // The same token as a bearer header is refused: an API client must notice.
    const bearer = await app.gql('{ viewer { role } }', { token: cookie.split('=')[1] });
    expect(bearer.status).toBe(401);
  });
});
