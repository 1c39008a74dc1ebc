/**
 * Several real API server processes (`node src/app/main.ts`, as production runs them) on one test
 * database, for tests that need more than one process behind a load balancer: concurrency
 * across processes, graceful shutdown on SIGTERM. Each process gets its own free port and keeps
 * its stdout/stderr for diagnostics; requests go through a keep-alive `node:http` agent per
 * process so a test can tell a connection error from an answer.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import http from 'node:http';
import { fileURLToPath } from 'node:url';
import { freePort } from '@kindred/embedded-db';
import { createTestDatabase, type TestDatabase } from './test-database.js';

const API_DIR = fileURLToPath(new URL('../..', import.meta.url));

export interface HttpAnswer<B = any> {
  status: number;
  /** Parsed JSON body (null when the body is not JSON). */
  body: B;
  text: string;
  headers: http.IncomingHttpHeaders;
}

/** A request that got no HTTP answer; `sent` tells whether the request was fully written first. */
export class ConnectionError extends Error {
  constructor(
    readonly code: string,
    readonly sent: boolean,
    cause: unknown,
  ) {
    super(`${code} (${sent ? 'after' : 'before'} the request was sent)`, { cause });
  }
}

export interface GqlRequest {
  variables?: Record<string, unknown>;
  /** Bearer token: a session token or a partner API key. */
  token?: string;
}

export interface ApiProcess {
  index: number;
  /** Base URL, e.g. http://127.0.0.1:41234 */
  url: string;
  child: ChildProcess;
  /** Everything the process wrote to stdout and stderr, line by line. */
  output: string[];
  /** Resolves when the process has exited. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** POSTs a GraphQL request to this process; rejects with `ConnectionError` when no answer came. */
  gql<D = any>(query: string, request?: GqlRequest): Promise<HttpAnswer<{ data?: D | null; errors?: GraphQLErrorBody[] }>>;
  get(path: string): Promise<HttpAnswer>;
}

export interface GraphQLErrorBody {
  message: string;
  path?: (string | number)[];
  extensions?: Record<string, unknown>;
}

export interface ApiProcesses {
  db: TestDatabase;
  processes: ApiProcess[];
  urls: string[];
  /** Process `i % count`, for spreading requests round-robin. */
  at(i: number): ApiProcess;
  /** Opens `perProcess` keep-alive connections to every process so a burst starts without TCP handshakes. */
  warm(perProcess: number): Promise<void>;
  /** Sends a signal to one process; resolves with its exit. */
  kill(index: number, signal?: NodeJS.Signals): Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** Starts an exited process again on its port (its output carries on); does not wait for it to be ready. */
  restart(index: number): ApiProcess;
  /** Resolves once process `index` answers `/readyz` with 200; rejects if it exits or `timeoutMs` passes. */
  ready(index: number, timeoutMs: number): Promise<void>;
  /** SIGTERM to every running process, SIGKILL after `graceMs`; drops the database if it was created here. */
  stop(graceMs?: number): Promise<void>;
  /** The last lines of every process's output, for failure messages. */
  diagnostics(lines?: number): string;
}

export interface ApiProcessOptions {
  count: number;
  /** Share an existing database (default: a fresh copy of the migrated template, dropped by `stop`). */
  database?: TestDatabase;
  /** LOG_LEVEL of the servers (default `warn`). */
  logLevel?: string;
  /** DB_POOL_MAX of each server (default 10). */
  poolMax?: number;
  /** More environment for the servers. */
  env?: Record<string, string>;
  /** More node flags, e.g. `--cpu-prof` to profile the servers. */
  nodeArgs?: string[];
  readyTimeoutMs?: number;
}

export async function startApiProcesses(options: ApiProcessOptions): Promise<ApiProcesses> {
  const db = options.database ?? (await createTestDatabase());
  const processes: ApiProcess[] = [];
  try {
    const ports = await distinctFreePorts(options.count);
    for (const [index, port] of ports.entries()) processes.push(spawnApi(index, port, db.url, options));
    await Promise.all(processes.map((p) => waitReady(p, options.readyTimeoutMs ?? 90_000)));
  } catch (error) {
    await Promise.all(processes.map((p) => terminate(p, 5_000)));
    if (!options.database) await db.drop();
    throw error;
  }

  const diagnostics = (lines = 30) =>
    processes.map((p) => `--- api process ${p.index} (${p.url}) ---\n${p.output.slice(-lines).join('\n')}`).join('\n');

  return {
    db,
    processes,
    urls: processes.map((p) => p.url),
    at: (i) => processes[i % processes.length]!,
    async warm(perProcess) {
      await Promise.all(processes.flatMap((p) => Array.from({ length: perProcess }, () => p.get('/healthz'))));
    },
    async kill(index, signal = 'SIGTERM') {
      const p = processes[index]!;
      if (p.child.exitCode === null && p.child.signalCode === null) p.child.kill(signal);
      return p.exited;
    },
    restart(index) {
      const old = processes[index]!;
      if (old.child.exitCode === null && old.child.signalCode === null) throw new Error(`api process ${index} is still running`);
      const fresh = spawnApi(index, Number(new URL(old.url).port), db.url, options, old.output);
      processes[index] = fresh;
      return fresh;
    },
    ready: (index, timeoutMs) => waitReady(processes[index]!, timeoutMs),
    async stop(graceMs = 15_000) {
      await Promise.all(processes.map((p) => terminate(p, graceMs)));
      if (!options.database) await db.drop();
    },
    diagnostics,
  };
}

/** Ports probed one after another can repeat (the probe closes before the next one binds). */
async function distinctFreePorts(count: number): Promise<number[]> {
  const ports = new Set<number>();
  while (ports.size < count) ports.add(await freePort());
  return [...ports];
}

function spawnApi(index: number, port: number, databaseUrl: string, options: ApiProcessOptions, output: string[] = []): ApiProcess {
  const child = spawn(
    process.execPath,
    [
      ...(options.nodeArgs ?? []),
      '--conditions=@kindred/source',
      '--enable-source-maps',
      '--import',
      '@swc-node/register/esm-register',
      'src/app/main.ts',
    ],
    {
      cwd: API_DIR,
      env: {
        ...process.env,
        NODE_ENV: 'test',
        DATABASE_URL: databaseUrl,
        PORT: String(port),
        HOST: '127.0.0.1',
        KINDRED_DEMO_DATA: 'off',
        LOG_LEVEL: options.logLevel ?? 'warn',
        DB_POOL_MAX: String(options.poolMax ?? 10),
        RATE_LIMIT_PER_MINUTE: '1000000000',
        ...options.env,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  const collect = (stream: NodeJS.ReadableStream | null, name: string) => {
    let rest = '';
    stream?.setEncoding('utf8');
    stream?.on('data', (chunk: string) => {
      const lines = (rest + chunk).split('\n');
      rest = lines.pop() ?? '';
      for (const line of lines) if (line.trim()) output.push(name === 'stderr' ? `[stderr] ${line}` : line);
    });
    stream?.on('end', () => {
      if (rest.trim()) output.push(rest);
    });
  };
  collect(child.stdout, 'stdout');
  collect(child.stderr, 'stderr');
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    child.on('exit', (code, signal) => resolve({ code, signal }));
  });
  const url = `http://127.0.0.1:${port}`;
  const agent = new http.Agent({ keepAlive: true, maxSockets: Number.POSITIVE_INFINITY });
  return {
    index,
    url,
    child,
    output,
    exited,
    gql: (query, { variables, token } = {}) =>
      send(agent, `${url}/graphql`, 'POST', JSON.stringify({ query, variables }), token ? { authorization: `Bearer ${token}` } : {}),
    get: (path) => send(agent, `${url}${path}`, 'GET'),
  };
}

async function waitReady(p: ApiProcess, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let exitedEarly = false;
  void p.exited.then(() => {
    exitedEarly = true;
  });
  while (Date.now() < deadline) {
    if (exitedEarly) throw new Error(`api process ${p.index} exited before it was ready:\n${p.output.join('\n')}`);
    try {
      if ((await p.get('/readyz')).status === 200) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`api process ${p.index} was not ready after ${timeoutMs} ms:\n${p.output.join('\n')}`);
}

async function terminate(p: ApiProcess, graceMs: number): Promise<void> {
  if (p.child.exitCode !== null || p.child.signalCode !== null) return;
  p.child.kill('SIGTERM');
  const timer = setTimeout(() => p.child.kill('SIGKILL'), graceMs);
  await p.exited;
  clearTimeout(timer);
}

function send(
  agent: http.Agent,
  url: string,
  method: 'GET' | 'POST',
  body?: string,
  headers: Record<string, string> = {},
): Promise<HttpAnswer> {
  return new Promise((resolve, reject) => {
    let sent = false;
    const request = http.request(
      url,
      {
        method,
        agent,
        headers:
          body === undefined ? headers : { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), ...headers },
      },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('error', (error) => reject(new ConnectionError(codeOf(error), true, error)));
        response.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          let parsed: unknown = null;
          try {
            parsed = JSON.parse(text);
          } catch {
            // not JSON (e.g. a proxy's error page); the text is kept
          }
          resolve({ status: response.statusCode ?? 0, body: parsed, text, headers: response.headers });
        });
      },
    );
    request.on('finish', () => {
      sent = true;
    });
    request.on('error', (error) => reject(new ConnectionError(codeOf(error), sent, error)));
    request.end(body);
  });
}

const codeOf = (error: unknown): string => (error as { code?: string }).code ?? (error as Error).message ?? 'UNKNOWN';
