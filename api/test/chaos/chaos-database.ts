/**
 * A private embedded PostgreSQL for the chaos test (@kindred/embedded-db): its own data folder and
 * port, migrated like the test template, and crashed with `pg_ctl stop -m immediate` — the
 * machine's shared server can't be crashed under the other tests. It is shaped like a
 * `TestDatabase`, so the API processes and the seat fixture's SQL checks run on it unchanged.
 */
import { randomBytes } from 'node:crypto';
import { rmSync } from 'node:fs';
import { freePort, pgCtl, startEmbedded } from '@kindred/embedded-db';
import pg from 'pg';
import { migrate, openOrm } from '../../src/app/orm.js';
import type { TestDatabase } from '../support/test-database.js';

export interface ChaosDatabase extends TestDatabase {
  /** `pg_ctl stop -m immediate`: every connection drops, nothing is checkpointed. */
  crash(): Promise<void>;
  /** Starts it again on the same port; resolves once it accepts connections (crash recovery done). */
  restart(): Promise<void>;
}

export async function startChaosDatabase(): Promise<ChaosDatabase> {
  // Under /var/tmp: as root the server runs as `postgres`, which must reach the folder.
  const folder = `/var/tmp/kindred-chaos-${process.pid}-${randomBytes(3).toString('hex')}`;
  const port = await freePort();
  const embedded = await startEmbedded({ dataDir: `${folder}/postgres`, port, database: 'kindred_chaos' });
  const dataDir = embedded.dataDir!;
  const orm = await openOrm(embedded.url, 2);
  await migrate(orm);
  await orm.close(true);
  // From here on pg_ctl alone starts and stops the server (a daemon, not a child of this process).
  await embedded.stop();
  const ctl = pgCtl(dataDir);
  await ctl.start(port);

  const pool = new pg.Pool({ connectionString: embedded.url, max: 3 });
  pool.on('error', () => {}); // idle connections drop at every crash; the next query reconnects
  let running = true;
  return {
    url: embedded.url,
    async query(sql, params) {
      return (await pool.query(sql, params as unknown[])).rows;
    },
    async crash() {
      running = false;
      await ctl.stop('immediate');
    },
    async restart() {
      await ctl.start(port);
      running = true;
    },
    async drop() {
      await pool.end();
      if (running) await ctl.stop('fast');
      rmSync(folder, { recursive: true, force: true });
    },
  };
}
