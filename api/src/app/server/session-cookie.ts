import type { FastifyReply, FastifyRequest } from 'fastify';
import type { SessionCookieJar } from '../../graphql/context.js';

/**
 * The admin app's session lives in an httpOnly cookie, never in JavaScript-readable storage.
 * SameSite=Strict (plus Apollo's CSRF prevention, which requires a JSON or preflighted request)
 * keeps other sites from using it. `Secure` whenever the request came over HTTPS.
 */
export const SESSION_COOKIE = 'kindred_session';

export function sessionCookieJar(request: FastifyRequest, reply: FastifyReply): SessionCookieJar {
  const base = { httpOnly: true, sameSite: 'strict' as const, path: '/', secure: request.protocol === 'https' };
  return {
    set: (token, expiresAt) => reply.setCookie(SESSION_COOKIE, token, { ...base, expires: expiresAt }),
    clear: () => reply.clearCookie(SESSION_COOKIE, base),
  };
}

export interface RequestBearer {
  /** As an Authorization header value, for `authenticate`. */
  header: string | undefined;
  token: string | undefined;
  /** True when it came from the session cookie rather than the header. */
  fromCookie: boolean;
}

/** The bearer token of a request: the Authorization header, or else the session cookie. */
export function bearerOf(request: FastifyRequest): RequestBearer {
  const header = request.headers.authorization;
  if (header) return { header, token: header.replace(/^Bearer\s+/, ''), fromCookie: false };
  const cookie = request.cookies?.[SESSION_COOKIE];
  return cookie
    ? { header: `Bearer ${cookie}`, token: cookie, fromCookie: true }
    : { header: undefined, token: undefined, fromCookie: false };
}
