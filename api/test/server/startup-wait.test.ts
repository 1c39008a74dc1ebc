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
import { createTestDatabase, type TestDatabase } from '../support/test-database.js';

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
