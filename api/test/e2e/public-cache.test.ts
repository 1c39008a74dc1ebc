/**
 * The public catalogue cache (src/graphql/public-cache.ts) is never stale: every change a
 * cached answer depends on — made through the API, by another server on the same database, or
 * directly in SQL — and the passing of time are in the very next answer. Staff, non-public
 * fields and answers with errors never come from the cache.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toGlobalId } from '../../src/graphql/ids.js';
import { purgeCatalogueChanges } from '../../src/graphql/public-cache.js';
import {
  arrangeSeatFixture,
  CANCEL_RESERVATION,
  createMembers,
  createOpenGroup,
  RESERVE_SEAT,
  type Ref,
  type SeatFixture,
} from '../support/seat-fixture.js';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { buildWorld } from '../support/world.js';

const CATALOGUE = `query Catalogue($first: Int!) {
  groups(first: $first, filter: { hasSeatsAvailable: true }) {
    nodes { id title capacity seatsTaken seatsAvailable waitlistLength program { title } leadTherapist { displayName }
            nextSession { id startsAt } }
    pageInfo { hasNextPage endCursor }
  }
}`;

let app: TestApp;
let other: TestApp;
let fixture: SeatFixture;
let group: Ref;
let members: Ref[];

beforeAll(async () => {
  app = await startTestApp();
  // A second server on the same database, with its own cache: another API process.
  other = await startTestApp({ database: app.db });
  fixture = await arrangeSeatFixture(app.db);
  group = await createOpenGroup(app.db, fixture, 2, 'Cached Group');
  members = await createMembers(app.db, fixture, 4);
});

afterAll(async () => {
  await other?.close();
  await app?.close();
});

const catalogue = (server: TestApp = app, token?: string) => server.gql(CATALOGUE, { variables: { first: 10 }, token });
const ours = (body: { data?: { groups: { nodes: { id: string }[] } } | null }) =>
  body.data!.groups.nodes.find((n) => n.id === group.globalId) as Record<string, any> | undefined;

async function reserve(server: TestApp, member: Ref) {
  const answer = await server.gql(RESERVE_SEAT, {
    variables: { input: { groupId: group.globalId, memberId: member.globalId } },
    token: fixture.partner.apiKey,
  });
  expect(answer.body.data.reserveSeat.userErrors).toEqual([]);
  return answer.body.data.reserveSeat.reservation as { id: string; status: string };
}

describe('public catalogue cache', () => {
  it('serves a repeated public query from the cache, byte for byte', async () => {
    const first = await catalogue();
    const second = await catalogue();
    expect(first.fromCache).toBe(false);
    expect(second.fromCache).toBe(true);
    expect(second.text).toBe(first.text);
    expect(ours(second.body)).toMatchObject({ title: 'Cached Group', seatsTaken: 0, seatsAvailable: 2 });
  });

  it('shares entries between anonymous callers and partners', async () => {
    await catalogue();
    const asPartner = await catalogue(app, fixture.partner.apiKey);
    expect(asPartner.fromCache).toBe(true);
  });

  it('shows a reservation made through this server in the next answer', async () => {
    await catalogue();
    await reserve(app, members[0]!);
    const after = await catalogue();
    expect(after.fromCache).toBe(false);
    expect(ours(after.body)).toMatchObject({ seatsTaken: 1, seatsAvailable: 1 });
  });

  it('shows a reservation made through another server in the next answer', async () => {
    await catalogue(other);
    expect((await catalogue(other)).fromCache).toBe(true);
    await reserve(app, members[1]!); // fills the group: it leaves the "seats available" list
    const after = await catalogue(other);
    expect(after.fromCache).toBe(false);
    expect(ours(after.body)).toBeUndefined();
  });

  it('shows waitlist changes and cancellations, which move no seat count column', async () => {
    const all = (server: TestApp) => server.gql(CATALOGUE.replace('filter: { hasSeatsAvailable: true }', ''), { variables: { first: 10 } });
    await all(app);
    expect((await all(app)).fromCache).toBe(true);
    const waiting = await reserve(other, members[2]!);
    expect(waiting.status).toBe('WAITLISTED');
    expect(ours((await all(app)).body)).toMatchObject({ seatsTaken: 2, waitlistLength: 1 });
    const left = await other.gql(CANCEL_RESERVATION, {
      variables: { input: { reservationId: waiting.id } },
      token: fixture.partner.apiKey,
    });
    expect(left.body.data.cancelReservation.userErrors).toEqual([]);
    expect(ours((await all(app)).body)).toMatchObject({ seatsTaken: 2, waitlistLength: 0 });
    const [seated] = await app.db.query<{ id: string }>(
      `select id from reservation where group_id = $1 and status = 'CONFIRMED' order by created_at limit 1`,
      [group.id],
    );
    const released = await other.gql(CANCEL_RESERVATION, {
      variables: { input: { reservationId: toGlobalId('Reservation', seated!.id) } },
      token: fixture.partner.apiKey,
    });
    expect(released.body.data.cancelReservation.userErrors).toEqual([]);
    expect(ours((await catalogue(app)).body)).toMatchObject({ seatsTaken: 1, seatsAvailable: 1, waitlistLength: 0 });
  });

  it('shows changes made directly in SQL (group, program, therapist)', async () => {
    await catalogue();
    await app.db.query(`update therapy_group set title = 'Renamed Group' where id = $1`, [group.id]);
    expect(ours((await catalogue()).body)).toMatchObject({ title: 'Renamed Group' });
    await catalogue();
    await app.db.query(`update program set title = 'Renamed Program' where id = $1`, [fixture.programId]);
    expect(ours((await catalogue()).body)!.program).toEqual({ title: 'Renamed Program' });
    await catalogue();
    await app.db.query(`update therapist set display_name = 'Renamed Therapist' where id = $1`, [fixture.therapistId]);
    expect(ours((await catalogue()).body)!.leadTherapist).toEqual({ displayName: 'Renamed Therapist' });
  });

  it('moves nextSession on when a session starts, although nothing was written', async () => {
    const [soon] = await app.db.query<{ id: string }>(
      `update group_session set starts_at = now() + interval '1500 milliseconds', ends_at = now() + interval '1 hour'
        where group_id = $1 and position = 1 returning id`,
      [group.id],
    );
    const before = await catalogue();
    expect(ours(before.body)!.nextSession.id).toBe(toGlobalId('Session', soon!.id));
    expect((await catalogue()).fromCache).toBe(true);
    await new Promise((resolve) => setTimeout(resolve, 1700));
    const after = await catalogue();
    expect(after.fromCache).toBe(false);
    expect(ours(after.body)!.nextSession.id).not.toBe(toGlobalId('Session', soon!.id));
  });

  it('never serves staff from the cache (they see drafts)', async () => {
    const world = await buildWorld(app);
    await catalogue();
    expect((await catalogue()).fromCache).toBe(true);
    const first = await catalogue(app, world.admin.token);
    const second = await catalogue(app, world.admin.token);
    expect([first.fromCache, second.fromCache]).toEqual([false, false]);
  });

  it('never caches fields outside the public set, or answers with errors', async () => {
    const roster = `query { groups(first: 5) { nodes { id reservations(first: 5) { nodes { id } } } } }`;
    await app.gql(roster, { token: fixture.partner.apiKey });
    expect((await app.gql(roster, { token: fixture.partner.apiKey })).fromCache).toBe(false);
    const missing = `query { group(id: "${toGlobalId('Group', '00000000-0000-4000-8000-000000000000')}") { id title } }`;
    const a = await app.gql(missing);
    const b = await app.gql(missing);
    expect(b.fromCache).toBe(false);
    expect(b.text).toBe(a.text);
  });

  it('records each changing transaction once per scope, and purges the log by txid range', async () => {
    const ofGroup = async () =>
      (
        await app.db.query<{ n: number }>('select count(*)::int as n from catalogue_scope_change where scope = $1', [`group:${group.id}`])
      )[0]!.n;
    const before = await ofGroup();
    // One transaction changing the group twice (a session and its title): one row for its scope.
    await app.db.query(
      `with moved as (update group_session set starts_at = starts_at + interval '1 minute' where group_id = $1 returning 1)
       update therapy_group set title = title || '.' where id = $1 and exists (select from moved)`,
      [group.id],
    );
    expect(await ofGroup()).toBe(before + 1);
    const below = async (txid: string) =>
      (await app.db.query<{ n: number }>('select count(*)::int as n from catalogue_scope_change where txid < $1::xid8', [txid]))[0]!.n;
    const horizon = (await app.db.query<{ x: string }>('select pg_snapshot_xmin(pg_current_snapshot())::text as x'))[0]!.x;
    const old = await below(horizon);
    expect(await purgeCatalogueChanges(app.orm.em.fork(), null, horizon)).toBe(old);
    expect(await below(horizon)).toBe(0);
    const [changed] = await app.db.query<{ txid: string }>(
      `update therapy_group set title = rtrim(title, '.') where id = $1 returning pg_current_xact_id()::text as txid`,
      [group.id],
    );
    // A later run purges only its own range: up to the horizon, nothing is left; past the change, the change.
    expect(await purgeCatalogueChanges(app.orm.em.fork(), horizon, horizon)).toBe(0);
    expect(await purgeCatalogueChanges(app.orm.em.fork(), horizon, String(BigInt(changed!.txid) + 1n))).toBeGreaterThanOrEqual(1);
    expect(await app.db.query('select 1 from catalogue_scope_change where txid = $1::xid8', [changed!.txid])).toEqual([]);
  });
});
