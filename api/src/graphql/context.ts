import type { EntityManager } from '@mikro-orm/postgresql';
import type { AccessLoaders } from '../authz/access.js';
import type { AttemptLimiter } from '../authz/attempt-limits.js';
import type { IdentifierAudit } from '../authz/identifier-audit.js';
import type { Viewer } from '../authz/viewer.js';
import type { CatalogueReads } from './catalogue-scopes.js';

/**
 * The batch loaders of one request. The kernel brings the access loaders (authz/access.ts);
 * every module adds its own by declaration merging in its `<feature>.loaders.ts`, and the
 * composition root (app/loaders.ts) builds them all — so this file never imports a module.
 */
export interface Loaders extends AccessLoaders {}

/** Sets or clears the admin app's httpOnly session cookie on the response (app/server/session-cookie.ts). */
export interface SessionCookieJar {
  set(token: string, expiresAt: Date): void;
  clear(): void;
}

/** Everything a resolver may use, built fresh for every request (loaders are never shared). */
export interface Context {
  requestId: string;
  viewer: Viewer;
  /** A forked entity manager: its identity map lives as long as the request. */
  em: EntityManager;
  loaders: Loaders;
  audit: IdentifierAudit;
  /** The client's address (the socket peer; set `trustProxy` behind a proxy). */
  clientIp: string;
  /** Throttles sign-in and self-registration attempts. */
  attempts: AttemptLimiter;
  /** Whether staff must sign in with a second factor (`KINDRED_STAFF_MFA`). */
  staffSecondFactor: 'required' | 'optional';
  /** The client's user agent (at most 200 characters), recorded with a new session. */
  userAgent: string | null;
  /** The bearer token the request carried (header or session cookie), if any; logout revokes it. */
  bearer: string | undefined;
  /** Sets or clears the admin app's httpOnly session cookie on this response. */
  sessionCookie: SessionCookieJar;
  /**
   * Name of the GraphQL operation, recorded in the identifier audit. A holder object because
   * Apollo shallow-copies the context per operation: the copy and the audit share this one.
   */
  operation: { name: string | null };
  /** Set on a public cache miss: the scopes and seat figures its answer reads are recorded here (graphql/catalogue-scopes.ts). */
  catalogueReads?: CatalogueReads;
}

/**
 * Forgets every answer cached so far in this request. Called after a mutation that changes seats,
 * so later fields and mutations of the same document read the state it left, not the one before.
 */
export function forgetCachedLoads(loaders: Loaders): void {
  for (const loader of Object.values(loaders) as { clearAll(): unknown }[]) loader.clearAll();
}
