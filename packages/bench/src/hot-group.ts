/**
 * The hot group (issue 17, "Enrolment rush"): one 12-seat OPEN group, 200 members reserving at
 * once, then 30 cancellations at once. Every request queues on the one group's row lock, so
 * reservations per second here is the lock's throughput, and the gaps between consecutive
 * `accepted_at` values (clock_timestamp() at insert, under the lock) are how long each
 * transaction held it plus the hand-off to the next — the same measure for any engine or build.
 */
import type pg from 'pg';
import { uuidOfGlobalId } from './catalogue.js';
import { graphql, toGlobalId } from './kindred-client.js';
import { acceptanceViolations, type ExpectedSeats, type SeatClient } from './storm.js';

export interface HotGroup {
  groupId: string;
  capacity: number;
  memberIds: string[];
}

export interface HotRound {
  /** The burst of reservations, by wall time from the first request sent to the last answer. */
  reservationsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  cancelsPerSecond: number;
  /** Gaps between consecutive acceptances of the burst, in ms (lock hold + hand-off). */
  lockGapsMs: number[];
  /** Cancellations that found their reservation seated and so promoted the waitlist's head. */
  promotions: number;
  errors: number;
  firstError?: string;
  violations: string[];
}

/** The median round of a concurrency level, with the lock gaps of every round pooled. */
export interface HotRun {
  connections: number;
  rounds: number;
  reservationsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  cancelsPerSecond: number;
  lockP50Ms: number;
  lockP99Ms: number;
  promotions: number;
  errors: number;
  firstError?: string;
}

export interface HotFigures {
  name: string;
  runs: HotRun[];
  violations: string[];
}

const percentile = (sorted: number[], p: number) =>
  sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))]! : 0;
const round2 = (n: number) => Math.round(n * 100) / 100;
const median = (values: number[]) =>
  percentile(
    [...values].sort((a, b) => a - b),
    0.5,
  );

interface Credentials {
  url: string;
  admin: { email: string; password: string };
  partnerApiKey: string;
}

type Payload<K extends string, T> = Record<K, { userErrors: { code: string; message: string }[] } & T>;

function expectDone<K extends string, T>(data: Payload<K, T>, field: K): T {
  const payload = data[field];
  if (payload.userErrors.length) throw new Error(`${field} refused: ${JSON.stringify(payload.userErrors)}`);
  return payload;
}

/**
 * Makes the group and its members through Kindred's API, as an admin and the bench partner
 * would: a 12-seat OPEN group of a published program that requires the confidentiality agreement,
 * and `members` new members registered by the partner, every other one of whom the partner has
 * signed the agreement for — so seats go CONFIRMED (signed) and HELD (unsigned) alike.
 */
export async function createHotGroup(db: pg.Pool, api: Credentials, size: { members: number; capacity: number }): Promise<HotGroup> {
  const { rows } = await db.query(
    `select g.program_id, g.lead_therapist_id, p.required_agreement_id from therapy_group g join program p on p.id = g.program_id
      where g.status = 'OPEN' and p.status = 'PUBLISHED' and p.required_agreement_id is not null order by g.id limit 1`,
  );
  const source = rows[0];
  if (!source) throw new Error('The dataset has no OPEN group of a published program requiring the agreement.');
  const login = await graphql<{ login: { token: string | null } }>(
    api.url,
    'mutation SignIn($input: LoginInput!) { login(input: $input) { token } }',
    { input: api.admin },
  );
  const adminToken = login.login.token!;
  const startsOn = new Date(Date.now() + 30 * 86_400_000).toISOString().slice(0, 10);
  const created = expectDone(
    await graphql<Payload<'createGroup', { group: { id: string } }>>(
      api.url,
      'mutation Create($input: CreateGroupInput!) { createGroup(input: $input) { group { id } userErrors { code message } } }',
      {
        input: {
          title: `Enrolment rush ${startsOn}`,
          programId: toGlobalId('Program', source.program_id),
          leadTherapistId: toGlobalId('Therapist', source.lead_therapist_id),
          capacity: size.capacity,
          type: 'OPEN',
          format: 'ONLINE',
          schedule: { startsOn, weekday: 'MONDAY', startTime: '18:00', timeZone: 'Europe/Berlin', sessionCount: 8, durationMinutes: 90 },
        },
      },
      adminToken,
    ),
    'createGroup',
  );
  expectDone(
    await graphql<Payload<'openGroup', object>>(
      api.url,
      'mutation Open($input: OpenGroupInput!) { openGroup(input: $input) { group { id } userErrors { code message } } }',
      { input: { id: created.group.id } },
      adminToken,
    ),
    'openGroup',
  );
  const tag = Date.now().toString(36);
  const register = async (i: number) => {
    const { member } = expectDone(
      await graphql<Payload<'registerMember', { member: { id: string } }>>(
        api.url,
        'mutation Register($input: RegisterMemberInput!) { registerMember(input: $input) { member { id } userErrors { code message } } }',
        {
          input: {
            displayName: `Rush ${i + 1}`,
            timeZone: 'Europe/Berlin',
            legalName: `Rush Member ${i + 1}`,
            email: `rush-${tag}-${i + 1}@example.org`,
          },
        },
        api.partnerApiKey,
      ),
      'registerMember',
    );
    if (i % 2 === 0) {
      expectDone(
        await graphql<Payload<'signAgreement', object>>(
          api.url,
          'mutation Sign($input: SignAgreementInput!) { signAgreement(input: $input) { signature { id } userErrors { code message } } }',
          {
            input: {
              agreementId: toGlobalId('Agreement', source.required_agreement_id),
              memberId: member.id,
              typedName: `Rush Member ${i + 1}`,
            },
          },
          api.partnerApiKey,
        ),
        'signAgreement',
      );
    }
    return uuidOfGlobalId(member.id);
  };
  const memberIds: string[] = [];
  for (let i = 0; i < size.members; i += 8) {
    memberIds.push(...(await Promise.all(Array.from({ length: Math.min(8, size.members - i) }, (_, j) => register(i + j)))));
  }
  return { groupId: uuidOfGlobalId(created.group.id), capacity: size.capacity, memberIds };
}

/** Kindred as a hot-group client: requests round-robin over its processes, raw UUIDs in and out. */
export function roundRobin(clients: SeatClient[]): SeatClient {
  let next = 0;
  const pick = () => clients[next++ % clients.length]!;
  return {
    reserve: async (memberId, groupId) => uuidOfGlobalId(await pick().reserve(memberId, groupId)),
    cancel: (id) => pick().cancel(toGlobalId('Reservation', id)),
  };
}

/** Ends every active reservation of the group in SQL (no seat rules needed: nothing else runs). */
async function resetGroup(db: pg.Pool, groupId: string): Promise<void> {
  const client = await db.connect();
  try {
    await client.query('begin');
    await client.query(`select set_config('kindred.actor', 'SYSTEM', true), set_config('kindred.reason', 'bench reset', true)`);
    await client.query(
      `update reservation set status = 'CANCELLED', ended_at = now(), ended_by = 'SYSTEM', expires_at = null, updated_at = now()
        where group_id = $1 and status in ('HELD', 'CONFIRMED', 'WAITLISTED')`,
      [groupId],
    );
    await client.query('commit');
  } finally {
    client.release();
  }
}

/** Runs `work` over the items with `connections` workers; returns each item's latency (ms) and the wall time. */
async function burst<T, R>(
  items: T[],
  connections: number,
  work: (item: T) => Promise<R>,
): Promise<{ results: (R | undefined)[]; latencies: number[]; seconds: number; errors: number; firstError?: string }> {
  const results: (R | undefined)[] = new Array(items.length);
  const latencies: number[] = [];
  let errors = 0;
  let firstError: string | undefined;
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: Math.min(connections, items.length) }, async () => {
      while (next < items.length) {
        const i = next++;
        const sent = performance.now();
        try {
          results[i] = await work(items[i]!);
          latencies.push(performance.now() - sent);
        } catch (error) {
          errors++;
          firstError ??= String(error);
        }
      }
    }),
  );
  latencies.sort((a, b) => a - b);
  return { results, latencies, seconds: (performance.now() - started) / 1000, errors, ...(firstError ? { firstError } : {}) };
}

/** The seats the group holds when `active` of its members have a place. */
export const expectedFor = (capacity: number, active: number): ExpectedSeats => ({
  seated: Math.min(capacity, active),
  waiting: Math.max(0, active - capacity),
});

/**
 * One round: reset, all members reserve at once through `connections` clients, the seat rules
 * and the acceptance order are checked; then `cancels` cancellations at once — the seated in
 * acceptance order, then the head of the waitlist, each seated by the cancellations before it
 * when they run in order — and the rules are checked again.
 */
export async function hotRound(db: pg.Pool, client: SeatClient, group: HotGroup, connections: number, cancels: number): Promise<HotRound> {
  await resetGroup(db, group.groupId);
  const reserved = await burst(group.memberIds, connections, (memberId) => client.reserve(memberId, group.groupId));
  const violations = await acceptanceViolations(db, group.groupId, expectedFor(group.capacity, group.memberIds.length - reserved.errors));
  const ids = reserved.results.filter((id): id is string => id !== undefined);
  const { rows: accepted } = await db.query<{ id: string; us: string; seated: boolean }>(
    `select id, (extract(epoch from accepted_at) * 1000000)::bigint::text as us, status <> 'WAITLISTED' as seated
       from reservation where id = any($1::uuid[]) order by status = 'WAITLISTED', waitlist_seq, accepted_at`,
    [ids],
  );
  const times = accepted.map((r) => Number(r.us)).sort((a, b) => a - b);
  const lockGapsMs = times.slice(1).map((t, i) => (t - times[i]!) / 1000);
  // Seated first (acceptance order), then the waitlist from its head: in order, each is seated when cancelled.
  const targets = accepted.slice(0, cancels).map((r) => r.id);
  const { rows: before } = await db.query<{ at: Date }>('select clock_timestamp() as at');
  const cancelled = await burst(targets, connections, (id) => client.cancel(id));
  const { rows: promoted } = await db.query<{ n: number }>(
    'select count(*)::int as n from reservation where group_id = $1 and promoted_at >= $2',
    [group.groupId, before[0]!.at],
  );
  const active = group.memberIds.length - reserved.errors - (targets.length - cancelled.errors);
  violations.push(...(await acceptanceViolations(db, group.groupId, expectedFor(group.capacity, active))));
  return {
    reservationsPerSecond: Math.round(ids.length / reserved.seconds),
    p50Ms: round2(percentile(reserved.latencies, 0.5)),
    p99Ms: round2(percentile(reserved.latencies, 0.99)),
    cancelsPerSecond: Math.round((targets.length - cancelled.errors) / cancelled.seconds),
    lockGapsMs,
    promotions: promoted[0]!.n,
    errors: reserved.errors + cancelled.errors,
    ...((reserved.firstError ?? cancelled.firstError) ? { firstError: reserved.firstError ?? cancelled.firstError } : {}),
    violations,
  };
}

/** A level's figure: the median round's throughput and latency, lock gaps of all rounds pooled. */
export function summarise(connections: number, rounds: HotRound[]): HotRun {
  const gaps = rounds.flatMap((r) => r.lockGapsMs).sort((a, b) => a - b);
  const firstError = rounds.find((r) => r.firstError)?.firstError;
  return {
    connections,
    rounds: rounds.length,
    reservationsPerSecond: median(rounds.map((r) => r.reservationsPerSecond)),
    p50Ms: median(rounds.map((r) => r.p50Ms)),
    p99Ms: median(rounds.map((r) => r.p99Ms)),
    cancelsPerSecond: median(rounds.map((r) => r.cancelsPerSecond)),
    lockP50Ms: round2(percentile(gaps, 0.5)),
    lockP99Ms: round2(percentile(gaps, 0.99)),
    promotions: median(rounds.map((r) => r.promotions)),
    errors: rounds.reduce((n, r) => n + r.errors, 0),
    ...(firstError ? { firstError } : {}),
  };
}
