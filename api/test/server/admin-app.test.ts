/**
 * The admin app plugin alone (app/server/admin-app.ts) on a bare Fastify instance, serving a tiny
 * built app from a temporary folder: the strict Content-Security-Policy with a style nonce new
 * for every page and written into the page where the placeholder was, the page never cached,
 * client-side routes answered with the page, a JSON 404 for anything else, none of its headers
 * on routes registered outside it, and no start without the placeholder.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { adminApp, CSP_NONCE_PLACEHOLDER } from '../../src/app/server/admin-app.js';
import { send } from './helpers.js';

const PAGE = [
  '<!doctype html>',
  '<html><head>',
  `<meta property="csp-nonce" nonce="${CSP_NONCE_PLACEHOLDER}">`,
  '<script type="module" src="/assets/app.js"></script>',
  `<style nonce="${CSP_NONCE_PLACEHOLDER}">body { margin: 0 }</style>`,
  '</head><body><div id="app"></div></body></html>',
].join('\n');
const SCRIPT = 'console.log("admin");\n';
const OUTSIDE = 'outside-the-root-secret';

const NONCE = /^[A-Za-z0-9+/]{22}==$/;
const policyWith = (nonce: string) =>
  `default-src 'self';script-src 'self';style-src 'self' 'nonce-${nonce}';img-src 'self' data:;` +
  `connect-src 'self';object-src 'none';frame-ancestors 'none';base-uri 'self';form-action 'self'`;
const NOT_FOUND = { errors: [{ message: 'Not found.', extensions: { code: 'NOT_FOUND' } }] };

let folder: string;
/** Built admin app: index.html with the placeholder, one asset. A sibling of it holds a file that must never be served. */
let dist: string;

beforeAll(async () => {
  folder = await mkdtemp(join(tmpdir(), 'kindred-admin-'));
  dist = join(folder, 'dist');
  await mkdir(join(dist, 'assets'), { recursive: true });
  await writeFile(join(dist, 'index.html'), PAGE);
  await writeFile(join(dist, 'assets', 'app.js'), SCRIPT);
  await writeFile(join(folder, 'outside.txt'), OUTSIDE);
  await writeFile(join(dist, '.secret'), OUTSIDE);
});
afterAll(() => rm(folder, { recursive: true, force: true }));

const running: FastifyInstance[] = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((app) => app.close()));
});

/** A bare Fastify with the admin app and two API-like routes registered beside it (outside the plugin). */
async function start(root = dist): Promise<string> {
  const app = Fastify();
  running.push(app);
  app.post('/graphql', async () => ({ data: { __typename: 'Query' } }));
  await app.register(adminApp, { root });
  app.get('/healthz', async () => ({ status: 'ok' }));
  return app.listen({ port: 0, host: '127.0.0.1' });
}

const html = { accept: 'text/html,application/xhtml+xml' };

/** The headers that make the page's security, and the nonce its policy allows. */
function pageHeaders(headers: Record<string, string | string[] | undefined>) {
  const policy = String(headers['content-security-policy']);
  const nonce = /'nonce-([^']+)'/.exec(policy)?.[1] ?? 'none';
  return {
    nonce,
    headers: {
      policy,
      type: headers['content-type'],
      caching: headers['cache-control'],
      sniffing: headers['x-content-type-options'],
      framing: headers['x-frame-options'],
      referrer: headers['referrer-policy'],
      hsts: headers['strict-transport-security'],
    },
  };
}

describe('the page', () => {
  it('is served under the strict policy with a nonce of its own, written where the placeholder was, and never cached', async () => {
    const url = await start();
    const answers = [await send(`${url}/`, { headers: html }), await send(`${url}/`, { headers: html }), await send(`${url}/index.html`)];
    const nonces: string[] = [];
    for (const answer of answers) {
      const { nonce, headers } = pageHeaders(answer.headers);
      expect(nonce).toMatch(NONCE);
      expect({ status: answer.status, headers, body: answer.text }).toEqual({
        status: 200,
        headers: {
          policy: policyWith(nonce),
          type: 'text/html; charset=utf-8',
          caching: 'no-store',
          sniffing: 'nosniff',
          framing: 'DENY',
          referrer: 'no-referrer',
          hsts: undefined,
        },
        body: PAGE.replaceAll(CSP_NONCE_PLACEHOLDER, nonce),
      });
      nonces.push(nonce);
    }
    expect(new Set(nonces).size).toBe(3);
  });

  it('answers client-side routes with the page (each with its own nonce), but only to a GET that asks for HTML', async () => {
    const url = await start();
    const route = await send(`${url}/groups/R3JvdXA6MQ?tab=roster`, { headers: html });
    const { nonce, headers } = pageHeaders(route.headers);
    expect({ status: route.status, policy: headers.policy, caching: headers.caching, body: route.text }).toEqual({
      status: 200,
      policy: policyWith(nonce),
      caching: 'no-store',
      body: PAGE.replaceAll(CSP_NONCE_PLACEHOLDER, nonce),
    });

    const notPages = [
      await send(`${url}/groups/R3JvdXA6MQ`, { headers: { accept: 'application/json' } }),
      await send(`${url}/groups/R3JvdXA6MQ`),
      await send(`${url}/groups/R3JvdXA6MQ`, { method: 'POST', headers: html }),
      await send(`${url}/assets/missing.js`, { headers: { accept: '*/*' } }),
    ];
    expect(notPages.map((a) => ({ status: a.status, type: a.headers['content-type'], body: JSON.parse(a.text) }))).toEqual(
      Array(4).fill({ status: 404, type: 'application/json; charset=utf-8', body: NOT_FOUND }),
    );
  });
});

describe('the files', () => {
  it('serves the built assets under the same policy, and nothing outside the folder', async () => {
    const url = await start();
    const script = await send(`${url}/assets/app.js`);
    expect({
      status: script.status,
      type: script.headers['content-type'],
      sniffing: script.headers['x-content-type-options'],
      policy: script.headers['content-security-policy'],
      body: script.text,
    }).toEqual({
      status: 200,
      type: 'application/javascript; charset=utf-8',
      sniffing: 'nosniff',
      policy: expect.stringMatching(/^default-src 'self';script-src 'self';/),
      body: SCRIPT,
    });
    // Request targets sent as written, not normalized by a URL parser first.
    for (const rawPath of [
      '/../outside.txt',
      '/%2e%2e/outside.txt',
      '/assets/../../outside.txt',
      '/assets/%2e%2e/%2e%2e/outside.txt',
      '/..%2foutside.txt',
      '/.secret',
    ]) {
      const answer = await send(url, { rawPath });
      expect({ rawPath, status: answer.status, leaked: answer.text.includes(OUTSIDE) }).toEqual({ rawPath, status: 404, leaked: false });
    }
  });

  it('never sends the page unprocessed: index.html is not a static file', async () => {
    const url = await start();
    for (const rawPath of ['/index.html', '/./index.html', '/assets/../index.html', '/%69ndex.html']) {
      for (const accept of [html, { accept: '*/*' }]) {
        const answer = await send(url, { rawPath, headers: accept });
        expect({ rawPath, placeholder: answer.text.includes(CSP_NONCE_PLACEHOLDER) }).toEqual({ rawPath, placeholder: false });
      }
    }
  });
});

describe('routes outside the plugin', () => {
  it('carry none of the page headers', async () => {
    const url = await start();
    const answers = {
      graphql: await send(`${url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' }),
      healthz: await send(`${url}/healthz`, { headers: html }),
    };
    const pageOnly = ['content-security-policy', 'x-frame-options', 'x-content-type-options', 'referrer-policy', 'cache-control'];
    for (const [name, answer] of Object.entries(answers)) {
      expect({ name, status: answer.status, headers: pageOnly.filter((header) => header in answer.headers) }).toEqual({
        name,
        status: 200,
        headers: [],
      });
    }
  });
});

describe('start-up', () => {
  it('refuses to start when index.html has no nonce placeholder (a stale build)', async () => {
    const stale = join(folder, `stale-${randomBytes(4).toString('hex')}`);
    await mkdir(stale);
    await writeFile(join(stale, 'index.html'), PAGE.replaceAll(CSP_NONCE_PLACEHOLDER, 'fixed-nonce'));
    await expect(start(stale)).rejects.toThrow(
      `${stale}/index.html has no CSP nonce placeholder: rebuild the admin app (pnpm --filter @kindred/admin build).`,
    );
  });

  it('refuses to start without an index.html', async () => {
    const empty = join(folder, `empty-${randomBytes(4).toString('hex')}`);
    await mkdir(empty);
    await expect(start(empty)).rejects.toThrow(/ENOENT/);
  });
});
