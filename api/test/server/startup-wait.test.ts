/**
 * A process started while PostgreSQL is not there yet waits for it, says why, and becomes ready
 * once it is — with no supervisor restarting anything. The database "appears" as a TCP proxy
 * opened on the address the process was given, seconds after the process started.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { freePort } from '@kindred/embedded-db';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { type TcpProxy, tcpProxy } from '../support/tcp-proxy.js';
import { createEmptyDatabase, createTestDatabase, type TestDatabase } from '../support/test-database.js';

const API_DIR = fileURLToPath(new URL('../..', import.meta.url));
let child: ChildProcess | undefined;
let proxy: TcpProxy | undefined;
let db: TestDatabase | undefined;
afterAll(async () => {
  child?.kill('SIGKILL');
  await proxy?.close();
  await db?.drop();
});

describe('start-up before the database', () => {
  it('waits with backoff, logging why, and becomes ready when the database appears', async () => {
    db = await createTestDatabase();
    const real = new URL(db.url);
    const [dbPort, httpPort] = [await freePort(), await freePort()];
    const late = new URL(db.url);
    late.hostname = '127.0.0.1';
    late.port = String(dbPort);
    let output = '';
    child = spawn(process.execPath, ['--conditions=@kindred/source', '--import', '@swc-node/register/esm-register', 'src/app/main.ts'], {
      cwd: API_DIR,
      env: { ...process.env, DATABASE_URL: late.toString(), PORT: String(httpPort), KINDRED_DEMO_DATA: 'off', KINDRED_WORKER: 'off' },
    });
    child.stdout!.on('data', (chunk) => {
      output += String(chunk);
    });
    child.stderr!.on('data', (chunk) => {
      output += String(chunk);
    });
    const ready = async () => {
      try {
        return (await fetch(`http://127.0.0.1:${httpPort}/readyz`)).status;
      } catch {
        return 0;
      }
    };

    // Nothing listens on the database's address: the process waits, backing off, and says why.
    await expect.poll(() => output.includes('"attempt":3,"retryInMs":'), { timeout: 20_000 }).toBe(true);
    const delays = [...output.matchAll(/"retryInMs":(\d+)/g)].map((m) => Number(m[1]));
    expect(delays.slice(0, 3)).toEqual([250, 500, 1000]);
    expect(output).toContain('"reason":"ECONNREFUSED"');
    expect(output).not.toContain(late.toString());
    expect(child.exitCode).toBeNull();
    expect(await ready()).toBe(0);

    // The database appears: the process starts and is ready, within 30 s.
    proxy = tcpProxy(dbPort, real);
    await proxy.open();
    await expect.poll(ready, { timeout: 30_000, interval: 250 }).toBe(200);
    await expect.poll(() => output.includes('"msg":"database ready"'), { timeout: 5000 }).toBe(true);
  }, 90_000);

  it('waits again and repeats its migrations when the database goes away while it migrates', async () => {
    const empty = await createEmptyDatabase();
    const name = new URL(empty.url).pathname.slice(1);
    const httpPort = await freePort();
    let output = '';
    const starting = spawn(
      process.execPath,
      ['--conditions=@kindred/source', '--import', '@swc-node/register/esm-register', 'src/app/main.ts'],
      {
        cwd: API_DIR,
        env: { ...process.env, DATABASE_URL: empty.url, PORT: String(httpPort), KINDRED_DEMO_DATA: 'off', KINDRED_WORKER: 'off' },
      },
    );
    starting.stdout!.on('data', (chunk) => {
      output += String(chunk);
    });
    starting.stderr!.on('data', (chunk) => {
      output += String(chunk);
    });
    const admin = await createTestDatabase(); // any connection to the server will do
    try {
      // As soon as a migration runs, every connection of the process is cut, as a crash would.
      await expect
        .poll(
          async () => {
            const [row] = await admin.query<{ cut: number }>(
              `select count(pg_terminate_backend(pid))::int as cut from pg_stat_activity
                where datname = $1 and pid <> pg_backend_pid()
                  and exists (select 1 from pg_stat_activity a where a.datname = $1 and a.state = 'active' and a.query ilike '%create%')`,
              [name],
            );
            return row!.cut;
          },
          { timeout: 60_000, interval: 20 },
        )
        .toBeGreaterThan(0);
      const ready = async () => {
        try {
          return (await fetch(`http://127.0.0.1:${httpPort}/readyz`)).status;
        } catch {
          return 0;
        }
      };
      await expect.poll(ready, { timeout: 60_000, interval: 250 }).toBe(200);
      expect(output).toContain('database lost during start-up');
      expect(starting.exitCode).toBeNull();
      const [migrations] = await empty.query<{ n: number }>('select count(*)::int as n from mikro_orm_migrations');
      expect(migrations!.n).toBeGreaterThan(15);
    } finally {
      starting.kill('SIGKILL');
      await admin.drop();
      await empty.drop();
    }
  }, 120_000);

  it('does not wait for what waiting cannot fix: an unknown database ends the process at once, saying so', async () => {
    const wrong = new URL(inject('adminDatabaseUrl'));
    wrong.pathname = '/kindred_no_such_database';
    const started = Date.now();
    const result = await new Promise<{ code: number | null; output: string }>((resolve) => {
      let output = '';
      const process_ = spawn(
        process.execPath,
        ['--conditions=@kindred/source', '--import', '@swc-node/register/esm-register', 'src/app/main.ts'],
        {
          cwd: API_DIR,
          env: { ...process.env, DATABASE_URL: wrong.toString(), KINDRED_DEMO_DATA: 'off', KINDRED_WORKER: 'off' },
        },
      );
      process_.stdout.on('data', (chunk) => {
        output += String(chunk);
      });
      process_.on('exit', (code) => resolve({ code, output }));
    });
    expect(result.code).toBe(1);
    expect(result.output).toContain('the database cannot be reached with this configuration');
    expect(result.output).toContain('"sqlState":"3D000"');
    expect(result.output).not.toContain('database not ready');
    expect(Date.now() - started).toBeLessThan(20_000);
  }, 60_000);
});
