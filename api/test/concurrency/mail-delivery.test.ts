/**
 * Nothing acknowledged is lost on the way to an inbox (docs/decisions/0008-jobs-and-mail.md): the
 * mail of a change is a job queued in the change's own transaction, so
 *
 * - with the SMTP server down, the mutation still succeeds and the mail arrives once SMTP is back;
 * - with the API process killed (SIGKILL) while its worker is sending, the job is released by the
 *   next process to start and the mail arrives from there.
 *
 * Both run real API servers (the second as separate processes) against a real SMTP server.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { startApiProcesses } from '../support/api-processes.js';
import { startMailbox } from '../support/mailbox.js';
import { startTestApp } from '../support/test-app.js';
import { createTestDatabase } from '../support/test-database.js';

const mailbox = await startMailbox();
afterAll(() => mailbox.stop());

const REGISTER = `mutation($input: RegisterMemberInput!) { registerMember(input: $input) { member { id } userErrors { code } } }`;
const VERIFY = `mutation($input: ConfirmLinkInput!) { verifyEmail(input: $input) { done userErrors { code } } }`;
const registration = (email: string) => ({
  displayName: 'Patient',
  timeZone: 'UTC',
  legalName: 'Patient Person',
  email,
  password: 'a long enough password',
});

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function until<T>(probe: () => Promise<T | null | undefined | false>, what: string, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(100);
  }
}

describe('SMTP down', () => {
  it('acknowledges the change at once and delivers its mail once SMTP is back', async () => {
    const app = await startTestApp({ smtpUrl: mailbox.url });
    try {
      mailbox.refuse();
      const email = 'while.smtp.down@example.org';
      const response = await app.gql(REGISTER, { variables: { input: registration(email) } });
      expect(response.body).toEqual({ data: { registerMember: { member: null, userErrors: [] } } });

      // The worker tried and failed; the failure is kept without the address it was for.
      const [failed] = await until(async () => {
        const rows = await app.db.query<{ attempts: number; last_error: string }>(
          'select attempts, last_error from graphile_worker.jobs where last_error is not null',
        );
        return rows.length > 0 && rows;
      }, 'a failed attempt');
      expect(failed!.attempts).toBeGreaterThanOrEqual(1);
      expect(failed!.last_error).not.toContain(email);
      expect(mailbox.to(email)).toEqual([]);

      mailbox.accept();
      const mail = await mailbox.waitFor(email, { timeoutMs: 30_000 });
      const verified = await app.gql(VERIFY, { variables: { input: { token: mail.token } } });
      expect(verified.body).toEqual({ data: { verifyEmail: { done: true, userErrors: [] } } });
      expect(await app.db.query('select count(*)::int as n from graphile_worker.jobs')).toEqual([{ n: 0 }]);
    } finally {
      mailbox.accept();
      await app.close();
    }
  });
});

describe('a worker killed mid-job', () => {
  it('leaves no job locked for long: the next process releases it and the mail goes out', async () => {
    const db = await createTestDatabase();
    const env = { SMTP_URL: mailbox.url, KINDRED_WORKER_DEAD_AFTER_SECONDS: '2', PUBLIC_URL: 'http://kindred.test' };
    const email = 'worker.killed@example.org';
    try {
      mailbox.hold();
      const first = await startApiProcesses({ count: 1, database: db, env });
      try {
        const response = await first.at(0).gql(REGISTER, { variables: { input: registration(email) } });
        expect(response.body).toEqual({ data: { registerMember: { member: null, userErrors: [] } } });
        await until(async () => mailbox.held() >= 1, 'the worker to be mid-send');
        expect(await first.kill(0, 'SIGKILL')).toEqual({ code: null, signal: 'SIGKILL' });
      } finally {
        await first.stop(1_000);
      }
      const locked = await db.query<{ locked_by: string | null }>('select locked_by from graphile_worker.jobs');
      expect(locked).toEqual([{ locked_by: expect.any(String) }]);
      expect(mailbox.to(email)).toEqual([]);

      mailbox.accept();
      await sleep(2_500); // the dead worker's heartbeat is now older than KINDRED_WORKER_DEAD_AFTER_SECONDS
      const second = await startApiProcesses({ count: 1, database: db, env });
      try {
        const mail = await mailbox.waitFor(email, { timeoutMs: 30_000 });
        const verified = await second.at(0).gql(VERIFY, { variables: { input: { token: mail.token } } });
        expect(verified.body).toEqual({ data: { verifyEmail: { done: true, userErrors: [] } } });
        expect(second.diagnostics()).toContain('released the jobs of workers that stopped');
      } finally {
        await second.stop();
      }
    } finally {
      mailbox.accept();
      await db.drop();
    }
  });
});
