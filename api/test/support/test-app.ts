import { Writable } from 'node:stream';
import type { MikroORM } from '@mikro-orm/postgresql';
import pino from 'pino';
import { openOrm } from '../../src/app/orm.js';
import { createServer } from '../../src/app/server.js';
import { createTasks } from '../../src/app/tasks.js';
import { createMailer } from '../../src/mail/mailer.js';
import { createTestDatabase, type TestDatabase } from './test-database.js';

export interface GraphQLResponse<D = any> {
  status: number;
  body: { data?: D | null; errors?: { message: string; path?: (string | number)[]; extensions?: Record<string, unknown> }[] };
  /** SQL statements the request ran (header exposed outside production). */
  sqlStatements: number;
  /** Served from the public catalogue cache (x-kindred-cache: hit). */
  fromCache: boolean;
  /** The x-kindred-cache header: `hit`, `spliced` (fresh seat figures in a cached answer) or null. */
  cache: string | null;
  /** The raw response text, for leak checks. */
  text: string;
}

export interface GqlOptions {
  variables?: Record<string, unknown>;
  /** Bearer token: a session token or a partner API key. */
  token?: string;
  operationName?: string;
  headers?: Record<string, string>;
}

export interface TestApp {
  url: string;
  orm: MikroORM;
  db: TestDatabase;
  /** The metrics endpoint (`metrics: true`). */
  metricsUrl?: string;
  /** Every log line the server wrote, for leak checks. */
  logs: string[];
  gql<D = any>(query: string, options?: GqlOptions): Promise<GraphQLResponse<D>>;
  /** POSTs a raw body (for malformed-request tests). */
  post(body: string, headers?: Record<string, string>): Promise<{ status: number; text: string }>;
  close(): Promise<void>;
}

/** A real Kindred server on a free port, over its own fresh database. */
export interface TestAppOptions {
  production?: boolean;
  /** Requests per minute per client (default: effectively unlimited). */
  rateLimitPerMinute?: number;
  /** Sign-in / self-registration attempts per minute (default: effectively unlimited). */
  attemptsPerMinute?: number;
  /** Shares rate limits through Redis, as several API processes do. */
  redisUrl?: string;
  /** How often the server sweeps expired holds (ms); 0 disables the sweeper. Default: the server's. */
  holdSweepMs?: number;
  /** Serve the built admin app (admin/dist) from this server, as `pnpm start` does. */
  adminDist?: string;
  /** The public catalogue cache (default: on, as in production). */
  publicCache?: boolean;
  /** Reuse another app's database instead of creating one (several servers, one database). */
  database?: TestDatabase;
  /** Run the job worker, mailing through this SMTP server (support/mailbox.ts). Default: no worker. */
  smtpUrl?: string;
  /** Whether staff must sign in with a second factor (default: optional, as in the demo). */
  staffSecondFactor?: 'required' | 'optional';
  /** Serve Prometheus metrics on a free port of 127.0.0.1 (`metricsUrl`). Default: off. */
  metrics?: boolean;
}

/** Where the test servers' mailed links point (only their `#token=` matters to the tests). */
export const TEST_PUBLIC_URL = 'http://kindred.test';

export async function startTestApp(options: TestAppOptions = {}): Promise<TestApp> {
  const db = options.database ?? (await createTestDatabase());
  const orm = await openOrm(db.url, 5);
  const logs: string[] = [];
  const sink = new Writable({
    write(chunk, _encoding, done) {
      logs.push(String(chunk));
      done();
    },
  });
  const logger = pino({ level: 'info' }, sink);
  const server = await createServer({
    orm,
    logger,
    production: options.production ?? false,
    rateLimitPerMinute: options.rateLimitPerMinute ?? 1_000_000,
    attemptsPerMinute: options.attemptsPerMinute ?? 1_000_000,
    redisUrl: options.redisUrl,
    adminDist: options.adminDist,
    holdSweepMs: options.holdSweepMs,
    publicCache: options.publicCache,
    staffSecondFactor: options.staffSecondFactor ?? 'optional',
    metrics: options.metrics ? { port: 0 } : undefined,
    jobs: options.smtpUrl
      ? {
          connectionString: db.url,
          tasks: createTasks({ orm, mailer: createMailer({ smtpUrl: options.smtpUrl }), publicUrl: TEST_PUBLIC_URL }),
          pollIntervalMs: 200,
        }
      : undefined,
  });
  const url = await server.app.listen({ port: 0, host: '127.0.0.1' });
  const endpoint = `${url}/graphql`;

  async function post(body: string, headers: Record<string, string> = {}) {
    const response = await fetch(endpoint, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });
    return { status: response.status, text: await response.text(), headers: response.headers };
  }

  return {
    url,
    orm,
    db,
    metricsUrl: server.metricsUrl,
    logs,
    async gql(query, { variables, token, operationName, headers = {} } = {}) {
      const response = await fetch(endpoint, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}), ...headers },
        body: JSON.stringify({ query, variables, operationName }),
      });
      const text = await response.text();
      return {
        status: response.status,
        body: JSON.parse(text),
        sqlStatements: Number(response.headers.get('x-sql-statements') ?? Number.NaN),
        fromCache: response.headers.get('x-kindred-cache') === 'hit',
        cache: response.headers.get('x-kindred-cache'),
        text,
      };
    },
    post: (body, headers) => post(body, headers),
    async close() {
      await server.close();
      await orm.close(true);
      if (!options.database) await db.drop();
    },
  };
}
