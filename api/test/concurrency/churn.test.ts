/**
 * Churn on a full group through 4 API processes: cancellations race new reservations while a
 * sampler watches the committed state. Every freed seat must go, in the same transaction, to
 * the earliest waitlisted member; newcomers queue behind everyone already waiting. Then
 * idempotency keys under concurrency across processes.
 */
import { performance } from 'node:perf_hooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toGlobalId } from '../../src/graphql/ids.js';
import { type ApiProcesses, startApiProcesses } from '../support/api-processes.js';
import {
  arrangeSeatFixture,
  CANCEL_RESERVATION,
  createMembers,
  createOpenGroup,
  RESERVE_SEAT,
  type Ref,
  reservationsOf,
  type SeatFixture,
  seatInvariantViolations,
  seatMembers,
  waitlistMembers,
} from '../support/seat-fixture.js';

const CAPACITY = 12;
const WAITING = 60;
const CANCELLATIONS = 30;
const NEWCOMERS = 50;
const CANCELLERS = 12;

let api: ApiProcesses;
let fixture: SeatFixture;

beforeAll(async () => {
  api = await startApiProcesses({ count: 4 });
  fixture = await arrangeSeatFixture(api.db);
  await api.warm(20);
});

afterAll(async () => {
  await api?.stop();
});

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Polls the committed state of a group every few milliseconds until stopped, recording every
 * sample that breaks a seat rule: more seats taken than capacity, a trigger count that differs
 * from the rows, or a free seat while members wait.
 */
function startSampler(group: Ref) {
  const broken: unknown[] = [];
  let samples = 0;
  let running = true;
  const done = (async () => {
    while (running) {
      const [s] = await api.db.query<{ seats_taken: number; capacity: number; counted: number; waiting: number }>(
        `select g.seats_taken, g.capacity,
                (select count(*) from reservation r where r.group_id = g.id and r.status in ('HELD', 'CONFIRMED'))::int as counted,
                (select count(*) from reservation r where r.group_id = g.id and r.status = 'WAITLISTED')::int as waiting
           from therapy_group g where g.id = $1`,
        [group.id],
      );
      samples++;
      if (s!.seats_taken > s!.capacity || s!.counted !== s!.seats_taken || (s!.counted < s!.capacity && s!.waiting > 0)) broken.push(s);
      await sleep(2);
    }
  })();
  return {
    async stop() {
      running = false;
      await done;
      return { samples, broken };
    },
  };
}

describe('churn on a full group with a long waitlist, through 4 API processes', () => {
  it('gives every freed seat to the earliest waitlisted member while newcomers queue at the end', async () => {
    const group = await createOpenGroup(api.db, fixture, CAPACITY, 'Churn');
    const seated = await createMembers(api.db, fixture, CAPACITY, { prefix: 'Seated' });
    const waiting = await createMembers(api.db, fixture, WAITING, { prefix: 'Waiting' });
    const newcomers = await createMembers(api.db, fixture, NEWCOMERS, { prefix: 'Newcomer' });
    await seatMembers(api.db, group, seated);
    await waitlistMembers(api.db, group, waiting);

    const before = await reservationsOf(api.db, group);
    const originalWaitlist = before.filter((r) => r.status === 'WAITLISTED').map((r) => r.member_id);
    expect(originalWaitlist).toEqual(waiting.map((m) => m.id));
    const lastOriginalSeq = BigInt(before.at(-1)!.waitlist_seq!);

    // Cancellers cancel seated reservations only (each cancellation frees a seat), never the same
    // one twice: the 12 seated at first, then whoever the engine has promoted meanwhile.
    const claimed = new Set<string>();
    let cancellations = 0;
    const cancelAnswers: unknown[] = [];
    async function claimSeat(): Promise<string | null> {
      while (cancellations < CANCELLATIONS) {
        const rows = await api.db.query<{ id: string }>(
          `select id from reservation where group_id = $1 and status in ('HELD', 'CONFIRMED') order by random()`,
          [group.id],
        );
        const free = rows.find((r) => !claimed.has(r.id));
        if (free && cancellations < CANCELLATIONS) {
          claimed.add(free.id);
          cancellations++;
          return free.id;
        }
        await sleep(5);
      }
      return null;
    }
    const initialSeats = before.filter((r) => r.status === 'CONFIRMED').map((r) => r.id);
    for (const id of initialSeats) claimed.add(id);
    cancellations = initialSeats.length;

    let release!: () => void;
    const barrier = new Promise<void>((resolve) => {
      release = resolve;
    });
    const cancellers = Array.from({ length: CANCELLERS }, async (_, worker) => {
      await barrier;
      let reservationId: string | null = initialSeats[worker]!;
      for (let n = 0; reservationId; n++) {
        const answer = await api.at(worker + n).gql(CANCEL_RESERVATION, {
          variables: { input: { reservationId: toGlobalId('Reservation', reservationId) } },
          token: fixture.partner.apiKey,
        });
        cancelAnswers.push({ status: answer.status, errors: answer.body?.errors, payload: answer.body?.data?.cancelReservation });
        lastCancelAt = performance.now();
        reservationId = await claimSeat();
      }
    });
    const reservers = newcomers.map(async (member, i) => {
      await barrier;
      await sleep(i * 3); // spread over the cancellations, which take longer than one burst
      const answer = await api.at(i).gql(RESERVE_SEAT, {
        variables: { input: { groupId: group.globalId, memberId: member.globalId } },
        token: fixture.partner.apiKey,
      });
      return { status: answer.status, errors: answer.body?.errors, payload: answer.body?.data?.reserveSeat, at: performance.now() };
    });

    let lastCancelAt = 0;
    const sampler = startSampler(group);
    const started = performance.now();
    release();
    await Promise.all(cancellers);
    const reserveAnswers = await Promise.all(reservers);
    const { samples, broken } = await sampler.stop();
    const during = reserveAnswers.filter((a) => a.at < lastCancelAt).length;
    console.log(
      `churn: ${CANCELLATIONS} cancellations raced ${NEWCOMERS} reservations (${during} answered while cancellations went on) ` +
        `in ${(performance.now() - started).toFixed(0)} ms; sampler took ${samples} samples`,
    );

    expect(broken).toEqual([]);
    expect(samples).toBeGreaterThan(10);

    // Every request answered, without errors.
    expect(cancelAnswers).toHaveLength(CANCELLATIONS);
    expect(
      cancelAnswers.filter((a) => {
        const answer = a as { status: number; errors?: unknown; payload?: { reservation?: { status: string }; userErrors: unknown[] } };
        return (
          answer.status !== 200 || answer.errors || answer.payload?.reservation?.status !== 'CANCELLED' || answer.payload.userErrors.length
        );
      }),
      api.diagnostics(),
    ).toEqual([]);
    expect(reserveAnswers.filter((a) => a.status !== 200 || a.errors || a.payload?.userErrors.length)).toEqual([]);
    // The group never had a free seat for a newcomer to take.
    expect(reserveAnswers.map((a) => a.payload?.reservation?.status)).toEqual(newcomers.map(() => 'WAITLISTED'));

    // Exactly the 30 earliest waitlisted members were promoted, in waitlist order.
    const promotions = await api.db.query<{ member_id: string; waitlist_seq: string }>(
      `select r.member_id, r.waitlist_seq from reservation_event e join reservation r on r.id = e.reservation_id
        where r.group_id = $1 and e.from_status = 'WAITLISTED' and e.to_status in ('HELD', 'CONFIRMED') order by e.id`,
      [group.id],
    );
    expect(promotions.map((p) => p.member_id)).toEqual(originalWaitlist.slice(0, CANCELLATIONS));

    // The rest of the original waitlist keeps its order, newcomers queue behind it.
    const after = await reservationsOf(api.db, group);
    const stillWaiting = after.filter((r) => r.status === 'WAITLISTED');
    expect(stillWaiting.map((r) => r.position)).toEqual(stillWaiting.map((_, i) => i + 1));
    expect(stillWaiting.slice(0, WAITING - CANCELLATIONS).map((r) => r.member_id)).toEqual(originalWaitlist.slice(CANCELLATIONS));
    const newcomerRows = stillWaiting.slice(WAITING - CANCELLATIONS);
    expect(new Set(newcomerRows.map((r) => r.member_id))).toEqual(new Set(newcomers.map((m) => m.id)));
    expect(newcomerRows.every((r) => BigInt(r.waitlist_seq!) > lastOriginalSeq)).toBe(true);

    // Whoever holds the 12 seats now came from the first seated or the 30 promoted.
    const nowSeated = after.filter((r) => r.status === 'CONFIRMED' || r.status === 'HELD');
    expect(nowSeated).toHaveLength(CAPACITY);
    const eligible = new Set([...seated.map((m) => m.id), ...originalWaitlist.slice(0, CANCELLATIONS)]);
    expect(nowSeated.filter((r) => !eligible.has(r.member_id))).toEqual([]);
    expect(after.filter((r) => r.status === 'CANCELLED')).toHaveLength(CANCELLATIONS);

    const [seats] = await api.db.query('select seats_taken, capacity from therapy_group where id = $1', [group.id]);
    expect(seats).toEqual({ seats_taken: CAPACITY, capacity: CAPACITY });
    expect(await seatInvariantViolations(api.db)).toEqual([]);
  });

  it('replays one result for 10 concurrent requests with one idempotency key, and refuses the key with other input', async () => {
    const group = await createOpenGroup(api.db, fixture, 5, 'Idempotent');
    const members = await createMembers(api.db, fixture, 4, { prefix: 'Idempotent' });
    for (const [trial, member] of members.slice(0, 3).entries()) {
      const input = { groupId: group.globalId, memberId: member.globalId, idempotencyKey: `churn-key-${trial}` };
      let release!: () => void;
      const barrier = new Promise<void>((resolve) => {
        release = resolve;
      });
      const requests = Array.from({ length: 10 }, async (_, i) => {
        await barrier;
        return api.at(i).gql(RESERVE_SEAT, { variables: { input }, token: fixture.partner.apiKey });
      });
      release();
      const answers = await Promise.all(requests);

      expect(answers.map((a) => a.status)).toEqual(answers.map(() => 200));
      const first = answers[0]!.body;
      expect(first).toEqual({
        data: {
          reserveSeat: {
            reservation: { id: expect.any(String), status: 'CONFIRMED', waitlistPosition: null, expiresAt: null },
            userErrors: [],
          },
        },
      });
      for (const answer of answers) expect(answer.body).toEqual(first);
      const rows = await api.db.query('select id from reservation where group_id = $1 and member_id = $2', [group.id, member.id]);
      expect(rows.map((r) => toGlobalId('Reservation', r.id as string))).toEqual([first.data.reserveSeat.reservation.id]);

      const reused = await api.at(trial).gql(RESERVE_SEAT, {
        variables: { input: { ...input, memberId: members[3]!.globalId } },
        token: fixture.partner.apiKey,
      });
      expect(reused.body).toEqual({
        data: {
          reserveSeat: {
            reservation: null,
            userErrors: [
              {
                code: 'IDEMPOTENCY_KEY_REUSED',
                field: ['input', 'idempotencyKey'],
                message: 'This idempotency key was already used for a different request.',
              },
            ],
          },
        },
      });
    }
    expect(await api.db.query('select id from reservation where member_id = $1', [members[3]!.id])).toEqual([]);
    const [keys] = await api.db.query<{ count: number }>(`select count(*)::int from idempotency_key where key like 'churn-key-%'`);
    expect(keys!.count).toBe(3);
    const [seats] = await api.db.query('select seats_taken from therapy_group where id = $1', [group.id]);
    expect(seats).toEqual({ seats_taken: 3 });
    expect(await seatInvariantViolations(api.db)).toEqual([]);
  });
});
