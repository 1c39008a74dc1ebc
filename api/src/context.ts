import type { EntityManager } from '@mikro-orm/postgresql';
import type { AttemptLimiter } from './authz/attempt-limits.js';
import type { Viewer } from './authz/viewer.js';
import type { SessionCookieJar } from './modules/accounts/session-cookie.js';
import type { AuditRecorder } from './modules/audit/audit-recorder.js';
import type { Loaders } from './graphql/loaders.js';

/** Everything a resolver may use, built fresh for every request (loaders are never shared). */
export interface Context {
  requestId: string;
  viewer: Viewer;
  /** A forked entity manager: its identity map lives as long as the request. */
  em: EntityManager;
  loaders: Loaders;
  audit: AuditRecorder;
  /** The client's address (the socket peer; set `trustProxy` behind a proxy). */
  clientIp: string;
  /** Throttles sign-in and self-registration attempts. */
  attempts: AttemptLimiter;
  /** The bearer token the request carried (header or session cookie), if any; logout revokes it. */
  bearer: string | undefined;
  /** Sets or clears the admin app's httpOnly session cookie on this response. */
  sessionCookie: SessionCookieJar;
  /**
   * Name of the GraphQL operation, recorded in the identifier audit. A holder object because
   * Apollo shallow-copies the context per operation: the copy and the audit share this one.
   */
  operation: { name: string | null };
}
