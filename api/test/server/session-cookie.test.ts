/**
 * The session cookie alone (app/server/session-cookie.ts) on the HTTP layer (createHttpServer,
 * which registers the cookie parser), through routes of the test's own: the cookie is httpOnly,
 * SameSite=Strict, for the whole origin, expires with the session, is Secure when the request
 * came over HTTPS, and is cleared with the same attributes; a request's bearer is its
 * Authorization header first, else its session cookie, and nothing else.
 */
import type { FastifyInstance } from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import { createHttpServer } from '../../src/app/server/http.js';
import { bearerOf, SESSION_COOKIE, sessionCookieJar } from '../../src/app/server/session-cookie.js';
import { captureLogs, send } from './helpers.js';

const TOKEN = 'kss_cookie-test-token';
const EXPIRES = new Date('2031-05-06T07:08:09.000Z');

const running: FastifyInstance[] = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((app) => app.close()));
});

async function start(options: { trustProxy?: boolean } = {}) {
  const { app } = await createHttpServer({ logger: captureLogs().logger, ...options });
  app.post('/sign-in', async (request, reply) => {
    sessionCookieJar(request, reply).set(TOKEN, EXPIRES);
    return { signedIn: true };
  });
  app.post('/sign-out', async (request, reply) => {
    sessionCookieJar(request, reply).clear();
    return { signedOut: true };
  });
  // undefined fields are spelled out, so the comparison below sees them.
  app.get('/bearer', async (request) => Object.fromEntries(Object.entries(bearerOf(request)).map(([k, v]) => [k, v ?? null])));
  const url = await app.listen({ port: 0, host: '127.0.0.1' });
  running.push(app);
  return url;
}

describe('the session cookie', () => {
  it('is httpOnly, SameSite=Strict, for the whole origin, and expires with the session', async () => {
    const url = await start();
    const answer = await send(`${url}/sign-in`, { method: 'POST' });
    expect({ status: answer.status, cookies: answer.headers['set-cookie'] }).toEqual({
      status: 200,
      cookies: [`${SESSION_COOKIE}=${TOKEN}; Path=/; Expires=Tue, 06 May 2031 07:08:09 GMT; HttpOnly; SameSite=Strict`],
    });
  });

  it('is Secure when the request came over HTTPS (as told by a trusted proxy), and only then', async () => {
    const https = { 'x-forwarded-proto': 'https' };
    const proxied = await start({ trustProxy: true });
    expect((await send(`${proxied}/sign-in`, { method: 'POST', headers: https })).headers['set-cookie']).toEqual([
      `${SESSION_COOKIE}=${TOKEN}; Path=/; Expires=Tue, 06 May 2031 07:08:09 GMT; HttpOnly; Secure; SameSite=Strict`,
    ]);
    expect((await send(`${proxied}/sign-out`, { method: 'POST', headers: https })).headers['set-cookie']).toEqual([
      `${SESSION_COOKIE}=; Max-Age=0; Path=/; Expires=Thu, 01 Jan 1970 00:00:00 GMT; HttpOnly; Secure; SameSite=Strict`,
    ]);
    // An untrusted X-Forwarded-Proto does not make a plain-HTTP request secure.
    const direct = await start();
    expect((await send(`${direct}/sign-in`, { method: 'POST', headers: https })).headers['set-cookie']).toEqual([
      `${SESSION_COOKIE}=${TOKEN}; Path=/; Expires=Tue, 06 May 2031 07:08:09 GMT; HttpOnly; SameSite=Strict`,
    ]);
  });

  it('is cleared with the attributes it was set with, so the browser drops that very cookie', async () => {
    const url = await start();
    const answer = await send(`${url}/sign-out`, { method: 'POST', headers: { cookie: `${SESSION_COOKIE}=${TOKEN}` } });
    expect(answer.headers['set-cookie']).toEqual([
      `${SESSION_COOKIE}=; Max-Age=0; Path=/; Expires=Thu, 01 Jan 1970 00:00:00 GMT; HttpOnly; SameSite=Strict`,
    ]);
  });
});

describe("a request's bearer", () => {
  it('is the Authorization header first, else the session cookie it was given, else none', async () => {
    const url = await start();
    const bearer = async (headers: Record<string, string>) => JSON.parse((await send(`${url}/bearer`, { headers })).text);
    const signIn = await send(`${url}/sign-in`, { method: 'POST' });
    const cookie = signIn.headers['set-cookie']![0]!.split(';')[0]!;

    expect({
      header: await bearer({ authorization: 'Bearer kpk_partner-key' }),
      cookie: await bearer({ cookie }),
      both: await bearer({ authorization: 'Bearer kpk_partner-key', cookie }),
      otherCookies: await bearer({ cookie: `theme=dark; ${SESSION_COOKIE}_old=kss_stale; session=kss_other` }),
      amongOthers: await bearer({ cookie: `theme=dark; ${cookie}; lang=en` }),
      none: await bearer({}),
    }).toEqual({
      header: { header: 'Bearer kpk_partner-key', token: 'kpk_partner-key', fromCookie: false },
      cookie: { header: `Bearer ${TOKEN}`, token: TOKEN, fromCookie: true },
      both: { header: 'Bearer kpk_partner-key', token: 'kpk_partner-key', fromCookie: false },
      otherCookies: { header: null, token: null, fromCookie: false },
      amongOthers: { header: `Bearer ${TOKEN}`, token: TOKEN, fromCookie: true },
      none: { header: null, token: null, fromCookie: false },
    });
  });
});
