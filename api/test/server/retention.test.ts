/**
 * Retention (docs/retention.md) over a real database of its own: each prune removes exactly the
 * rows past their time and keeps the rest, in batches (a batch of 1 or 2 here, so the loop is
 * exercised); the audit trails stay append-only for everything but their own prune functions,
 * which cannot reach a row younger than six years; the development mailbox loses .eml files
 * older than seven days, at a server's start too.
 */
import { mkdtempSync, readdirSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { MikroORM } from '@mikro-orm/postgresql';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openOrm } from '../../src/app/orm.js';
import { startBackgroundWork } from '../../src/app/server/background.js';
import { pruneAuditTrails, pruneDevMailbox, pruneEndedSignIns, pruneFailedJobs } from '../../src/jobs/retention.js';
import { createTestDatabase, type TestDatabase } from '../support/test-database.js';
import { captureLogs } from './helpers.js';

let db: TestDatabase;
let orm: MikroORM;

beforeAll(async () => {
  db = await createTestDatabase();
  orm = await openOrm(db.url, 3);
});
afterAll(async () => {
  await orm?.close(true);
  await db?.drop();
});

/** How long ago each test row was written, as a PostgreSQL interval, by the name the test gives it. */
const AUDIT_AGES = {
  'old-10y': '10 years',
  'old-6y1d': '6 years 1 day',
  'old-6y1h': '6 years 1 hour',
  'young-6y-1d': '6 years -1 day',
  'young-now': '0 seconds',
};

async function arrangeAuditRows(prefix: string): Promise<void> {
  for (const [name, age] of Object.entries(AUDIT_AGES)) {
    await db.query(
      `insert into identifier_audit (read_at, actor_kind, member_id, fields, request_id)
       values (now() - $1::interval, 'ADMIN', gen_random_uuid(), '{email}', $2)`,
      [age, `${prefix}${name}`],
    );
    await db.query(
      `insert into staff_action (id, at, actor_kind, actor_id, actor_account_id, action, outcome, request_id)
       values (gen_random_uuid(), now() - $1::interval, 'ADMIN', gen_random_uuid(), gen_random_uuid(), 'updateGroup', 'DONE', $2)`,
      [age, `${prefix}${name}`],
    );
  }
}

const auditLeft = async () => ({
  identifierAudit: (await db.query<{ request_id: string }>('select request_id from identifier_audit order by request_id')).map(
    (r) => r.request_id,
  ),
  staffAction: (await db.query<{ request_id: string }>('select request_id from staff_action order by request_id')).map((r) => r.request_id),
});

/**
 * Runs `statements` one after another in one transaction on a connection of its own, each in a
 * savepoint so a refusal does not end the transaction (what succeeded stays in effect); returns
 * each one's outcome, then rolls everything back.
 */
async function inOneTransaction(statements: string[]): Promise<string[]> {
  const client = new pg.Client({ connectionString: db.url });
  await client.connect();
  const outcomes: string[] = [];
  try {
    await client.query('begin');
    for (const statement of statements) {
      await client.query('savepoint step');
      outcomes.push(
        await client.query(statement).then(
          async (result) => {
            await client.query('release savepoint step');
            return `${result.command} ${result.rowCount}`;
          },
          async (error: Error) => {
            await client.query('rollback to savepoint step');
            return error.message;
          },
        ),
      );
    }
  } finally {
    await client.query('rollback');
    await client.end();
  }
  return outcomes;
}

describe('audit trails', () => {
  it('prunes identifier reads and staff actions older than six years, and only those', async () => {
    await arrangeAuditRows('prune:');
    expect(await pruneAuditTrails(orm, 2)).toBe(6);
    expect(await auditLeft()).toEqual({
      identifierAudit: ['prune:young-6y-1d', 'prune:young-now'],
      staffAction: ['prune:young-6y-1d', 'prune:young-now'],
    });
    expect(await pruneAuditTrails(orm, 2)).toBe(0);
  });

  it('refuses a plain DELETE even of a row past six years, and UPDATE and TRUNCATE always', async () => {
    await arrangeAuditRows('guard:');
    const before = await auditLeft();
    const outcomes = await inOneTransaction([
      `delete from identifier_audit where request_id = 'guard:old-10y'`,
      `delete from staff_action where request_id = 'guard:old-10y'`,
      // The prune function (removing the oldest row) turns its setting off again before it returns.
      'select prune_identifier_audit(1)',
      `delete from identifier_audit where request_id = 'guard:old-6y1d'`,
      // With the setting on by hand, UPDATE and TRUNCATE are still refused.
      `select set_config('kindred.audit_prune', 'on', true)`,
      `update identifier_audit set fields = fields where request_id = 'guard:old-6y1d'`,
      `update staff_action set outcome = outcome where request_id = 'guard:old-6y1d'`,
      'truncate identifier_audit',
      'truncate staff_action',
    ]);
    expect(outcomes).toEqual([
      'identifier_audit is append-only',
      'staff_action is append-only',
      'SELECT 1',
      'identifier_audit is append-only',
      'SELECT 1',
      'identifier_audit is append-only',
      'staff_action is append-only',
      'identifier_audit is append-only',
      'staff_action is append-only',
    ]);
    expect(await auditLeft()).toEqual(before);
  });

  it('refuses to delete a row younger than six years even with the prune setting on', async () => {
    const outcomes = await inOneTransaction([
      `select set_config('kindred.audit_prune', 'on', true)`,
      `delete from identifier_audit where request_id = 'guard:young-6y-1d'`,
      `delete from staff_action where request_id = 'guard:young-now'`,
      // The same setting lets an old row go: the age is what the database guarantees.
      `delete from staff_action where request_id = 'guard:old-6y1h'`,
    ]);
    expect(outcomes).toEqual(['SELECT 1', 'identifier_audit keeps rows for 6 years', 'staff_action keeps rows for 6 years', 'DELETE 1']);
  });
});

describe('failed jobs', () => {
  it('deletes jobs graphile-worker gave up on once their last attempt is 30 days old, and nothing else', async () => {
    const job = async (key: string, state: { attempts: number; runAt: string; updatedAt: string }) => {
      const [row] = await db.query<{ id: string }>(
        `select id from graphile_worker.add_job('retention-check', '{}'::json, max_attempts => 3, job_key => $1)`,
        [key],
      );
      await db.query(
        `update graphile_worker._private_jobs set attempts = $2, run_at = now() - $3::interval, updated_at = now() - $4::interval where id = $1`,
        [row!.id, state.attempts, state.runAt, state.updatedAt],
      );
    };
    await job('failed-31d', { attempts: 3, runAt: '31 days', updatedAt: '40 days' });
    await job('failed-45d', { attempts: 3, runAt: '45 days', updatedAt: '45 days' });
    await job('failed-29d', { attempts: 3, runAt: '29 days', updatedAt: '40 days' });
    await job('failed-by-hand-yesterday', { attempts: 3, runAt: '40 days', updatedAt: '1 day' });
    await job('retrying', { attempts: 2, runAt: '40 days', updatedAt: '40 days' });
    await job('overdue', { attempts: 0, runAt: '40 days', updatedAt: '40 days' });

    expect(await pruneFailedJobs(orm, 1)).toBe(2);
    expect(await db.query('select key from graphile_worker.jobs order by key')).toEqual([
      { key: 'failed-29d' },
      { key: 'failed-by-hand-yesterday' },
      { key: 'overdue' },
      { key: 'retrying' },
    ]);
  });
});

describe('sign-in sessions and emailed links', () => {
  it('deletes them 30 days after they stopped working: expired, revoked or used', async () => {
    const [account] = await db.query<{ id: string }>(
      `insert into account (id, email, email_index, role) values (gen_random_uuid(), 'sealed', sha256('retention'), 'ADMIN') returning id`,
    );
    const session = (name: string, expires: string, revoked: string | null) =>
      db.query(
        `insert into auth_session (id, account_id, token_hash, expires_at, revoked_at)
         values (gen_random_uuid(), $1, $2, now() + $3::interval, now() + $4::interval)`,
        [account!.id, name, expires, revoked],
      );
    await session('expired-31d', '-31 days', null);
    await session('revoked-31d', '20 days', '-31 days');
    await session('expired-29d', '-29 days', null);
    await session('expired-31d-revoked-29d', '-31 days', '-29 days'); // it ended when it expired
    await session('revoked-1d', '20 days', '-1 day');
    await session('active', '20 days', null);
    const link = (name: string, expires: string, used: string | null) =>
      db.query(
        `insert into account_token (id, purpose, account_id, token_hash, expires_at, used_at)
         values (gen_random_uuid(), 'RESET_PASSWORD', $1, $2, now() + $3::interval, now() + $4::interval)`,
        [account!.id, name, expires, used],
      );
    await link('expired-31d', '-31 days', null);
    await link('used-31d', '1 day', '-31 days');
    await link('expired-29d', '-29 days', null);
    await link('used-29d', '1 day', '-29 days');
    await link('unused', '1 day', null);
    // A link that carried an address had a key of its own: it goes with the link.
    await db.query(`insert into data_key (id, wrapped, kek_id) values ('00000000-0000-4000-8000-000000000001', 'w', 'k')`);
    await db.query(`update account_token set data_key_id = '00000000-0000-4000-8000-000000000001' where token_hash = 'used-31d'`);

    expect(await pruneEndedSignIns(orm, 1)).toBe(5);
    expect({
      sessions: await db.query('select token_hash from auth_session order by token_hash'),
      links: await db.query('select token_hash from account_token order by token_hash'),
    }).toEqual({
      sessions: [{ token_hash: 'active' }, { token_hash: 'expired-29d' }, { token_hash: 'revoked-1d' }],
      links: [{ token_hash: 'expired-29d' }, { token_hash: 'unused' }, { token_hash: 'used-29d' }],
    });
    expect(await db.query(`select id from data_key where id = '00000000-0000-4000-8000-000000000001'`)).toEqual([]);
  });
});

describe('development mailbox', () => {
  const DAY = 86_400_000;
  const mailbox = (files: Record<string, number>) => {
    const folder = mkdtempSync(join(tmpdir(), 'kindred-mailbox-'));
    for (const [name, ageMs] of Object.entries(files)) {
      writeFileSync(join(folder, name), 'Subject: test\n\nhello\n');
      const at = new Date(Date.now() - ageMs);
      utimesSync(join(folder, name), at, at);
    }
    return folder;
  };

  it('deletes .eml files written more than seven days ago and leaves everything else', async () => {
    const folder = mailbox({ 'old.eml': 7 * DAY + 60_000, 'recent.eml': 7 * DAY - 60_000, 'old-notes.txt': 30 * DAY });
    try {
      expect(await pruneDevMailbox(folder)).toBe(1);
      expect(readdirSync(folder).sort()).toEqual(['old-notes.txt', 'recent.eml']);
      expect(await pruneDevMailbox(join(folder, 'absent'))).toBe(0);
    } finally {
      rmSync(folder, { recursive: true });
    }
  });

  it('is pruned when a server using it starts, and only then among the hourly prunes', async () => {
    const folder = mailbox({ 'old.eml': 8 * DAY, 'new.eml': 0 });
    const logs = captureLogs();
    const stop = startBackgroundWork(orm, logs.logger, { holdSweepMs: 0, lifecycleMs: 0, devMailbox: folder });
    try {
      const deadline = Date.now() + 5_000;
      while (readdirSync(folder).length > 1 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
    } finally {
      await stop();
    }
    expect(readdirSync(folder)).toEqual(['new.eml']);
    expect(logs.records().map((r) => ({ task: r.task, count: r.count, msg: r.msg }))).toEqual([
      { task: 'dev mailbox prune', count: 1, msg: 'dev mailbox prune: done' },
    ]);
    rmSync(folder, { recursive: true });
  });
});
