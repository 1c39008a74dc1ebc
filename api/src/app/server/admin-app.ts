import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import type { ServerResponse } from 'node:http';
import { join } from 'node:path';
import helmet from '@fastify/helmet';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { ErrorCode } from '../../graphql/errors.js';

/** Where each page's CSP nonce goes in admin/dist/index.html (admin/vite.config.ts, `html.cspNonce`). */
export const CSP_NONCE_PLACEHOLDER = '__KINDRED_CSP_NONCE__';

/**
 * The built admin app (admin/dist) at /, client-side routes answered with its index.html, under a
 * strict Content-Security-Policy: everything from this origin only (images also as data: URLs), no
 * framing, no plugins. PrimeVue writes its theme into <style> elements at run time, so
 * style-src also allows a nonce, new for every page and handed to the app in index.html's
 * `<meta property="csp-nonce">` (main.ts gives it to PrimeVue); inline styles without it, and
 * every inline script, stay refused. Encapsulated: the headers and their hooks never touch /graphql.
 */
export async function adminApp(admin: FastifyInstance, { root }: { root: string }): Promise<void> {
  const page = await readFile(join(root, 'index.html'), 'utf8');
  if (!page.includes(CSP_NONCE_PLACEHOLDER)) {
    throw new Error(`${root}/index.html has no CSP nonce placeholder: rebuild the admin app (pnpm --filter @kindred/admin build).`);
  }
  const nonces = new WeakMap<ServerResponse, string>();
  const styleNonce = (_request: unknown, response: ServerResponse) => {
    const nonce = randomBytes(16).toString('base64');
    nonces.set(response, nonce);
    return `'nonce-${nonce}'`;
  };
  await admin.register(helmet, {
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'", styleNonce],
        imgSrc: ["'self'", 'data:'],
        connectSrc: ["'self'"],
        objectSrc: ["'none'"],
        frameAncestors: ["'none'"],
        baseUri: ["'self'"],
        formAction: ["'self'"],
      },
    },
    referrerPolicy: { policy: 'no-referrer' },
    xFrameOptions: { action: 'deny' },
    // HSTS belongs to whoever terminates TLS in front of Kindred, not to a server that may run on plain HTTP.
    strictTransportSecurity: false,
  });
  await admin.register(fastifyStatic, { root, prefix: '/', wildcard: false, index: false, globIgnore: ['index.html'] });

  const sendPage = (reply: FastifyReply) =>
    reply
      .type('text/html; charset=utf-8')
      .header('cache-control', 'no-store') // a page's nonce is for that response only
      .send(page.replaceAll(CSP_NONCE_PLACEHOLDER, nonces.get(reply.raw) ?? ''));
  admin.get('/', (_request, reply) => sendPage(reply));
  admin.get('/index.html', (_request, reply) => sendPage(reply));
  admin.setNotFoundHandler((request, reply) => {
    const wantsPage = request.method === 'GET' && (request.headers.accept ?? '').includes('text/html');
    if (wantsPage) return sendPage(reply); // client-side routes
    return reply.code(404).send({ errors: [{ message: 'Not found.', extensions: { code: ErrorCode.NOT_FOUND } }] });
  });
}
