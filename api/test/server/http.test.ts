/**
 * The HTTP layer alone (app/server/http.ts) on a real socket, with a few routes of its own: one
 * log line per request built from fixed fields only, the HTTP layer's errors in GraphQL's shape
 * with fixed messages, the client address behind a proxy, and the graceful close (a request that
 * arrives while closing is refused with 503 while an in-flight one completes).
 */
import type { FastifyInstance } from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import { createHttpServer, type HttpServer, INTERNAL_ERROR_MESSAGE, notFoundHandler } from '../../src/app/server/http.js';
import { type CapturedLogs, captureLogs, deferred, send } from './helpers.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

interface Started extends HttpServer {
  url: string;
  logs: CapturedLogs;
}

const running: FastifyInstance[] = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((app) => app.close()));
});

/** createHttpServer with the test's routes, listening on a free port. */
async function start(routes: (app: FastifyInstance) => void, options: { trustProxy?: boolean } = {}): Promise<Started> {
  const logs = captureLogs();
  const http = await createHttpServer({ logger: logs.logger, ...options });
  routes(http.app);
  const url = await http.app.listen({ port: 0, host: '127.0.0.1' });
  running.push(http.app);
  logs.lines.length = 0; // from here on, only what requests log
  return { ...http, url, logs };
}

const json = { 'content-type': 'application/json' };

/** The one line a request logs, as a whole. */
const requestLine = (method: string, route: string | undefined, statusCode: number) => ({
  level: 30,
  time: expect.any(Number),
  pid: process.pid,
  hostname: expect.any(String),
  reqId: expect.stringMatching(UUID),
  req: { id: expect.stringMatching(UUID), method, ...(route ? { route } : {}) },
  res: { statusCode },
  responseTime: expect.any(Number),
  msg: 'request completed',
});

describe('request log', () => {
  it('writes one line per request from fixed fields, never a header, the query string, a path parameter or the body', async () => {
    const { url, logs } = await start((app) => {
      app.post('/echo', async () => ({ ok: true }));
      app.get('/members/:id', async () => ({ ok: true }));
    });
    const secrets = {
      authorization: 'Bearer kss_header-secret-token',
      cookie: 'kindred_session=kss_cookie-secret-token',
      'x-custom': 'custom-header-secret',
      'user-agent': 'user-agent-secret',
    };
    const answers = [
      await send(`${url}/echo?email=query-secret%40example.org`, {
        method: 'POST',
        headers: { ...json, ...secrets },
        body: JSON.stringify({ legalName: 'Body Secret Person' }),
      }),
      await send(`${url}/members/path-secret-42?token=query-secret-2`, { headers: secrets }),
      await send(`${url}/echo`, { method: 'POST', headers: { ...json, ...secrets }, body: '{"legalName": "Broken Secret' }),
      await send(`${url}/nowhere/unrouted-secret`, { headers: secrets }),
    ];
    expect(answers.map((a) => a.status)).toEqual([200, 200, 400, 404]);

    const records = logs.records();
    expect(records).toEqual([
      requestLine('POST', '/echo', 200),
      requestLine('GET', '/members/:id', 200),
      requestLine('POST', '/echo', 400),
      requestLine('GET', undefined, 404),
    ]);
    // Each line names its own request, and reqId is the request's id.
    expect(new Set(records.map((r) => r.reqId)).size).toBe(4);
    for (const record of records) expect(record.reqId).toBe((record.req as { id: string }).id);

    const everything = logs.lines.join('');
    for (const secret of [
      ...Object.values(secrets),
      'header-secret',
      'cookie-secret',
      'query-secret',
      'Body Secret',
      'Broken Secret',
      'path-secret',
      'unrouted-secret',
      '127.0.0.1',
    ]) {
      expect(everything).not.toContain(secret);
    }
  });
});

describe('errors of the HTTP layer', () => {
  it("refuses what Fastify cannot read with a fixed message in GraphQL's shape, on any route, never quoting the body", async () => {
    let handled = 0;
    const { url } = await start((app) => {
      app.post('/anything', async () => {
        handled++;
        return { ok: true };
      });
      app.get('/malformed', async () => {
        throw Object.assign(new Error('unparseable: body-secret'), { statusCode: 400 });
      });
    });
    const refusal = (reason: string, message: string) => ({ errors: [{ message, extensions: { code: 'BAD_USER_INPUT', reason } }] });
    const post = (body: string, headers: Record<string, string> = json) => send(`${url}/anything`, { method: 'POST', headers, body });

    const cases = {
      empty: await post(''),
      invalidJson: await post('{"email": "body-secret@example.org"'),
      tooLarge: await post(JSON.stringify({ pad: 'x'.repeat(1024 * 1024) })),
      mediaType: await post('email=body-secret', { 'content-type': 'application/x-www-form-urlencoded' }),
      other4xx: await send(`${url}/malformed`),
    };
    expect(Object.fromEntries(Object.entries(cases).map(([name, r]) => [name, { status: r.status, body: JSON.parse(r.text) }]))).toEqual({
      empty: { status: 400, body: refusal('EMPTY_BODY', 'The request body is empty; send a JSON GraphQL request.') },
      invalidJson: { status: 400, body: refusal('INVALID_JSON', 'The request body is not valid JSON.') },
      tooLarge: { status: 413, body: refusal('PAYLOAD_TOO_LARGE', 'The request body is larger than 1 MB.') },
      mediaType: { status: 415, body: refusal('UNSUPPORTED_MEDIA_TYPE', 'Send the request as application/json.') },
      other4xx: { status: 400, body: refusal('BAD_REQUEST', 'This request is malformed.') },
    });
    for (const answer of Object.values(cases)) expect(answer.text).not.toContain('secret');
    expect(handled).toBe(0);
    // A body just under the limit is read.
    expect((await post(JSON.stringify({ pad: 'x'.repeat(1024 * 1024 - 20) }))).status).toBe(200);
  });

  it('answers an unexpected error with a fixed 500 and logs its class and frames, never its message', async () => {
    const { url, logs } = await start((app) => {
      app.get('/boom', async () => {
        throw new Error('duplicate key (email)=(boom-secret@example.org)');
      });
    });
    const answer = await send(`${url}/boom`);
    expect({ status: answer.status, body: JSON.parse(answer.text) }).toEqual({
      status: 500,
      body: { errors: [{ message: INTERNAL_ERROR_MESSAGE, extensions: { code: 'INTERNAL_SERVER_ERROR' } }] },
    });
    expect(logs.records()).toEqual([
      {
        level: 50,
        time: expect.any(Number),
        pid: process.pid,
        hostname: expect.any(String),
        reqId: expect.stringMatching(UUID),
        err: { name: 'Error', frames: expect.arrayContaining([expect.stringMatching(/^at /)]) },
        msg: 'unexpected error in the HTTP layer',
      },
      requestLine('GET', '/boom', 500),
    ]);
    expect(logs.lines.join('') + answer.text).not.toContain('boom-secret');
  });
});

describe('unknown routes', () => {
  it("answer NOT_FOUND in GraphQL's shape without repeating the URL or its query string", async () => {
    const { url } = await start((app) => app.setNotFoundHandler(notFoundHandler));
    const answer = await send(`${url}/nope/secret-path?email=someone@example.org`);
    expect({ status: answer.status, body: JSON.parse(answer.text) }).toEqual({
      status: 404,
      body: { errors: [{ message: 'Not found.', extensions: { code: 'NOT_FOUND' } }] },
    });
    expect(answer.text).not.toMatch(/secret-path|someone|example/);
  });
});

describe('client address', () => {
  const routes = (app: FastifyInstance) => app.get('/whoami', async (request) => ({ ip: request.ip, protocol: request.protocol }));
  const forwarded = { 'x-forwarded-for': '203.0.113.7', 'x-forwarded-proto': 'https' };

  it('ignores X-Forwarded-For unless told it runs behind a proxy', async () => {
    const direct = await start(routes);
    expect(JSON.parse((await send(`${direct.url}/whoami`, { headers: forwarded })).text)).toEqual({ ip: '127.0.0.1', protocol: 'http' });
    const proxied = await start(routes, { trustProxy: true });
    expect(JSON.parse((await send(`${proxied.url}/whoami`, { headers: forwarded })).text)).toEqual({
      ip: '203.0.113.7',
      protocol: 'https',
    });
  });
});

describe('graceful close', () => {
  it('refuses new requests with 503 SHUTTING_DOWN while an in-flight request completes, and closes connections once answered', async () => {
    const entered = deferred();
    const release = deferred();
    let fastRuns = 0;
    const server = await start((app) => {
      app.get('/slow', async () => {
        entered.resolve();
        await release.promise;
        return { finished: true };
      });
      app.get('/fast', async () => {
        fastRuns++;
        return { fast: true };
      });
    });
    const keepAlive = { connection: 'keep-alive' };

    const before = await send(`${server.url}/fast`, { headers: keepAlive });
    expect([before.status, before.headers.connection]).toEqual([200, 'keep-alive']);

    const inFlight = send(`${server.url}/slow`, { headers: keepAlive });
    await entered.promise;
    server.beginClosing();

    const refused = await send(`${server.url}/fast`, {
      method: 'GET',
      headers: { ...keepAlive, authorization: 'Bearer kss_refused-secret' },
    });
    expect({
      status: refused.status,
      retryAfter: refused.headers['retry-after'],
      connection: refused.headers.connection,
      body: JSON.parse(refused.text),
    }).toEqual({
      status: 503,
      retryAfter: '1',
      connection: 'close',
      body: {
        errors: [
          {
            message: 'This server is shutting down; nothing was done. Retry the request.',
            extensions: { code: 'INTERNAL_SERVER_ERROR', reason: 'SHUTTING_DOWN' },
          },
        ],
      },
    });
    expect(fastRuns).toBe(1); // the refused request never reached its handler

    release.resolve();
    const finished = await inFlight;
    expect({ status: finished.status, connection: finished.headers.connection, body: JSON.parse(finished.text) }).toEqual({
      status: 200,
      connection: 'close',
      body: { finished: true },
    });
    expect(server.logs.records()).toEqual([
      requestLine('GET', '/fast', 200),
      requestLine('GET', '/fast', 503),
      requestLine('GET', '/slow', 200),
    ]);
  });
});
