/**
 * Chaos (issue 17, item 6; docs/seat-rules.md, rule 8): clients reserve and cancel through 4 API
 * processes, with idempotency keys, retrying on errors, while API processes are SIGKILLed and
 * PostgreSQL (a private embedded one) is crashed with `pg_ctl stop -m immediate` and started
 * again — with nothing restarting the API processes' parts but the processes themselves. Then,
 * against the ledger of what the API acknowledged: nothing lost, nothing oversold, no duplicate,
 * the waitlist gap-free, and every process ready within 30 s of PostgreSQL's return.
 *
 * Short form here (2 rounds: 4 SIGKILLs, 2 crashes); the long form is `pnpm chaos`
 * (KINDRED_CHAOS_ROUNDS rounds, 15 by default there).
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { type ApiProcesses, startApiProcesses } from '../support/api-processes.js';
import type { Ref } from '../support/seat-fixture.js';
import { startTestApp } from '../support/test-app.js';
import { addGroup, addMember, buildWorld } from '../support/world.js';
import { ledgerViolations } from './chaos-checks.js';
import { type ChaosActor, newLedger, runClient } from './chaos-clients.js';
import { type ChaosDatabase, startChaosDatabase } from './chaos-database.js';
import { driveChaos } from './chaos-driver.js';

const ROUNDS = Number(process.env.KINDRED_CHAOS_ROUNDS ?? 2);
const READY_WITHIN_MS = 30_000;
const MEMBER_CLIENTS = 6;
const PARTNER_CLIENTS = 6;
const MEMBERS_PER_PARTNER_CLIENT = 4;

let db: ChaosDatabase;
let api: ApiProcesses;
let groups: Ref[];
let actors: ChaosActor[];
let partnerKey: string;

beforeAll(async () => {
  db = await startChaosDatabase();
  // The world is arranged through an in-process server on the same database, closed before the chaos.
  const app = await startTestApp({ database: db });
  try {
    const world = await buildWorld(app);
    partnerKey = world.partners.referring.token;
    groups = [
      await addGroup(app, world, { title: 'Hot', capacity: 5 }),
      await addGroup(app, world, { title: 'Warm', capacity: 8 }),
      await addGroup(app, world, { title: 'Cool', capacity: 20 }),
    ];
    const member = (i: number) => addMember(app, world, { displayName: `Chaos ${i}`, signed: true });
    actors = [];
    for (let i = 0; i < MEMBER_CLIENTS; i++) {
      const m = await member(i);
      actors.push({ label: `member-${i}`, token: m.token, members: [m], self: true });
    }
    for (let c = 0; c < PARTNER_CLIENTS; c++) {
      const members: Ref[] = [];
      for (let i = 0; i < MEMBERS_PER_PARTNER_CLIENT; i++) members.push(await member(100 + c * MEMBERS_PER_PARTNER_CLIENT + i));
      actors.push({ label: `partner-${c}`, token: partnerKey, members, self: false });
    }
  } finally {
    await app.close();
  }
  api = await startApiProcesses({ count: 4, database: db, poolMax: 5 });
}, 180_000);

afterAll(async () => {
  await api?.stop();
  await db?.drop();
});

it(
  'loses no acknowledged reservation or cancellation through SIGKILLed API processes and PostgreSQL crashes',
  async () => {
    const ledger = newLedger();
    let stopping = false;
    const clients = actors.map((actor) => runClient(api, actor, groups, ledger, () => stopping));
    const log = (line: string) => console.log(`chaos: ${line}`);
    const timings = await driveChaos(api, db, { rounds: ROUNDS, calmMs: 4000, outageMs: 2000, readyWithinMs: READY_WITHIN_MS }, log);
    stopping = true;
    await Promise.all(clients);
    // Settle: every process ready (holds and promotions settle inside the seat transactions).
    await Promise.all(api.processes.map((_, i) => api.ready(i, READY_WITHIN_MS)));

    const problems = await ledgerViolations(db, api.at(0), partnerKey, groups, ledger);
    const counts = (kind: string) => ledger.acknowledged.filter((op) => op.kind === kind).length;
    const readyTimes = timings.readyAfterDatabaseMs.filter((ms): ms is number => ms !== null);
    console.log(
      [
        `chaos: ${ROUNDS} rounds, ${actors.length} clients, ${timings.kills} SIGKILLs, ${timings.databaseRestarts} PostgreSQL crashes`,
        `  operations acknowledged: ${ledger.acknowledged.length} (${counts('reserve')} reservations, ${counts('cancel')} cancellations); ` +
          `retried until answered: ${ledger.acknowledged.filter((op) => op.attempts > 1).length}`,
        `  requests: ${ledger.requests}, retries: ${ledger.retries}, slowest request: ${ledger.slowestMs} ms`,
        `  errors seen: ${JSON.stringify(ledger.errors)}`,
        `  ready after PostgreSQL's return: max ${Math.max(...readyTimes)} ms (${timings.readyAfterDatabaseMs.join(', ')})`,
        `  ready after a SIGKILLed process's new start: ${timings.readyAfterStartMs.join(', ')} ms`,
        `  lost, oversold, duplicate or gap: ${problems.length}`,
      ].join('\n'),
    );

    expect(problems).toEqual([]);
    expect(ledger.refusals).toEqual([]);
    expect(ledger.unclean).toEqual([]);
    expect(timings.exitedOnTheirOwn).toEqual([]);
    expect(timings.silentWaits).toBe(0);
    expect(timings.kills).toBeGreaterThanOrEqual(3);
    expect(timings.databaseRestarts).toBeGreaterThanOrEqual(2);
    expect(timings.readyAfterDatabaseMs).toHaveLength(timings.databaseRestarts * api.processes.length);
    expect(timings.readyAfterDatabaseMs.filter((ms) => ms === null || ms > READY_WITHIN_MS)).toEqual([]);
    expect(timings.readyAfterStartMs.filter((ms) => ms === null)).toEqual([]);
    // The faults reached the clients: some operations needed a retry to be answered.
    expect(ledger.retries).toBeGreaterThan(0);
    expect(counts('cancel')).toBeGreaterThan(0);
  },
  60_000 + ROUNDS * 60_000,
);
