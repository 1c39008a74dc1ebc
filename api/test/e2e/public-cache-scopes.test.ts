/**
 * The public cache invalidates by scope (docs/decisions/0011-catalogue-scopes.md): a change drops
 * exactly the cached answers that show what it changed — on every server — and leaves the rest
 * cached. A reservation in one group leaves answers about another in place but never an answer
 * showing its seats; a page filtered on `hasSeatsAvailable` follows groups turning full and free
 * (a due hold included); a program edit reaches the answers showing that program. The freshness
 * check is an index range scan on a large, never-analysed log.
 *
 * When seats are all that changed, the answer is served with fresh seat figures spliced in: byte
 * for byte the answer a fresh computation gives — on every server, aliases included — and nothing
 * the original did not carry; any other change still recomputes; a hold spliced in still frees
 * its seat when it runs out, with no write to tell the cache.
 */
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
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

const ONE_GROUP = `query OneGroup($id: ID!) { group(id: $id) { id title seatsTaken waitlistLength program { title } } }`;
const TITLES = `query Titles { groups(first: 20) { nodes { id title } } }`;
const SEATS = `query Seats { groups(first: 20) { nodes { id seatsTaken } } }`;
const AVAILABLE = `query Available($free: Boolean!) { groups(first: 20, filter: { hasSeatsAvailable: $free }) { nodes { id title } } }`;

// Aliases, the same figure twice, a group both in the list and on its own, and fields that are no seat figure.
const PAGE = `query Page($id: ID!) {
  groups(first: 20) { nodes { id title capacity taken: seatsTaken seatsTaken free: seatsAvailable seatsHeld waitlistLength program { title } } }
  one: group(id: $id) { id title held: seatsHeld seatsAvailable waits: waitlistLength }
}`;
// The same document as another cache key: a fresh computation to compare with.
const FRESH = `${PAGE} `;

let app: TestApp;
let other: TestApp;
let fixture: SeatFixture;
let a: Ref;
let b: Ref;
let small: Ref;
let members: Ref[];

beforeAll(async () => {
  app = await startTestApp({ holdSweepMs: 0 });
  other = await startTestApp({ database: app.db, holdSweepMs: 0 });
  fixture = await arrangeSeatFixture(app.db);
  a = await createOpenGroup(app.db, fixture, 5, 'Group A');
  b = await createOpenGroup(app.db, fixture, 5, 'Group B');
  small = await createOpenGroup(app.db, fixture, 1, 'Small Group');
  members = await createMembers(app.db, fixture, 8);
});

afterAll(async () => {
  await other?.close();
  await app?.close();
});

const ask = (server: TestApp, query: string, variables?: Record<string, unknown>) => server.gql(query, { variables });
const group = (server: TestApp, ref: Ref) => ask(server, ONE_GROUP, { id: ref.globalId });
const ids = (answer: { body: { data?: { groups: { nodes: { id: string }[] } } | null } }) =>
  answer.body.data!.groups.nodes.map((n) => n.id);

/** Asks each query twice on both servers, so each is cached on both. */
async function warm(...queries: [string, Record<string, unknown>?][]) {
  for (const server of [app, other]) {
    for (const [query, variables] of queries) {
      await ask(server, query, variables);
      expect((await ask(server, query, variables)).fromCache).toBe(true);
    }
  }
}

async function reserve(server: TestApp, ref: Ref, member: Ref): Promise<{ id: string; status: string }> {
  const answer = await server.gql(RESERVE_SEAT, {
    variables: { input: { groupId: ref.globalId, memberId: member.globalId } },
    token: fixture.partner.apiKey,
  });
  expect(answer.body.data.reserveSeat.userErrors).toEqual([]);
  return answer.body.data.reserveSeat.reservation;
}

async function cancel(server: TestApp, reservationId: string) {
  const answer = await server.gql(CANCEL_RESERVATION, { variables: { input: { reservationId } }, token: fixture.partner.apiKey });
  expect(answer.body.data.cancelReservation.userErrors).toEqual([]);
}

describe('public cache scopes', () => {
  it("keeps answers about another group and seatless pages cached through a reservation, and refreshes every answer showing the group's seats", async () => {
    await warm([ONE_GROUP, { id: a.globalId }], [ONE_GROUP, { id: b.globalId }], [TITLES], [SEATS]);
    await reserve(other, a, members[0]!);
    for (const server of [app, other]) {
      const aboutA = await group(server, a);
      expect(aboutA.fromCache).toBe(false);
      expect(aboutA.body.data.group).toMatchObject({ seatsTaken: 1, waitlistLength: 0 });
      const seats = await ask(server, SEATS);
      expect(seats.fromCache).toBe(false);
      expect(seats.body.data.groups.nodes).toContainEqual({ id: a.globalId, seatsTaken: 1 });
      expect((await group(server, b)).fromCache).toBe(true);
      expect((await ask(server, TITLES)).fromCache).toBe(true);
    }
  });

  it('refreshes an answer about a group when its own row, sessions or co-therapists change, and no other', async () => {
    const edits = [
      `update therapy_group set title = 'Group A, renamed' where id = $1`,
      `update group_session set starts_at = starts_at + interval '1 minute', ends_at = ends_at + interval '1 minute' where group_id = $1 and position = 3`,
      `insert into group_co_therapist (group_id, therapist_id) select $1, lead_therapist_id from therapy_group where id = $1`,
    ];
    for (const edit of edits) {
      await warm([ONE_GROUP, { id: a.globalId }], [ONE_GROUP, { id: b.globalId }]);
      await app.db.query(edit, [a.id]);
      expect([(await group(app, a)).fromCache, (await group(other, a)).fromCache]).toEqual([false, false]);
      expect([(await group(app, b)).fromCache, (await group(other, b)).fromCache]).toEqual([true, true]);
    }
    expect((await group(app, a)).body.data.group.title).toBe('Group A, renamed');
  });

  it('refreshes list pages when a group joins or leaves the catalogue, but not for a title', async () => {
    await warm([TITLES]);
    await app.db.query(`update therapy_group set status = 'DRAFT' where id = $1`, [b.id]);
    expect(ids(await ask(other, TITLES))).not.toContain(b.globalId);
    await app.db.query(`update therapy_group set status = 'OPEN' where id = $1`, [b.id]);
    expect(ids(await ask(other, TITLES))).toContain(b.globalId);
    await warm([TITLES]);
    await app.db.query(`update therapy_group set title = 'Group B, renamed' where id = $1`, [b.id]);
    const renamed = await ask(other, TITLES);
    // The page shows B, so B's title change drops it; the change is in the next answer.
    expect(renamed.fromCache).toBe(false);
    expect(renamed.body.data.groups.nodes).toContainEqual({ id: b.globalId, title: 'Group B, renamed' });
  });

  it('follows hasSeatsAvailable: a group turning full or free changes the page, other seat moves do not', async () => {
    await warm([AVAILABLE, { free: true }], [AVAILABLE, { free: false }]);
    await reserve(app, b, members[1]!); // B keeps free seats: neither page changes
    for (const server of [app, other]) {
      expect((await ask(server, AVAILABLE, { free: true })).fromCache).toBe(true);
      expect((await ask(server, AVAILABLE, { free: false })).fromCache).toBe(true);
    }
    const seated = await reserve(app, small, members[2]!); // fills the small group
    expect(seated.status).toBe('CONFIRMED');
    for (const server of [app, other]) {
      expect(ids(await ask(server, AVAILABLE, { free: true }))).not.toContain(small.globalId);
      expect(ids(await ask(server, AVAILABLE, { free: false }))).toContain(small.globalId);
    }
    const waiting = await reserve(other, small, members[3]!); // the waitlist grows: availability does not change
    expect(waiting.status).toBe('WAITLISTED');
    expect((await ask(app, AVAILABLE, { free: true })).fromCache).toBe(true);
    await cancel(other, waiting.id);
    await cancel(other, seated.id); // frees the seat
    for (const server of [app, other]) expect(ids(await ask(server, AVAILABLE, { free: true }))).toContain(small.globalId);
  });

  it('counts a due hold in a full group as a free seat on the filtered page, and takes it back when the hold is settled', async () => {
    const [unsigned] = await createMembers(app.db, fixture, 1, { signed: false, prefix: 'Unsigned' });
    const held = await reserve(app, small, unsigned!);
    expect(held.status).toBe('HELD');
    await warm([AVAILABLE, { free: true }]);
    expect(ids(await ask(app, AVAILABLE, { free: true }))).not.toContain(small.globalId);
    // The hold runs out (written here; the sweeper is off): the seat is free to readers at once.
    await app.db.query(`update reservation set expires_at = now() - interval '1 second' where group_id = $1 and status = 'HELD'`, [
      small.id,
    ]);
    for (const server of [app, other]) expect(ids(await ask(server, AVAILABLE, { free: true }))).toContain(small.globalId);
    // The member signed in time after all: settling the hold as CONFIRMED fills the group again.
    await app.db.query(`update reservation set status = 'CONFIRMED', expires_at = null where group_id = $1 and status = 'HELD'`, [
      small.id,
    ]);
    for (const server of [app, other]) expect(ids(await ask(server, AVAILABLE, { free: true }))).not.toContain(small.globalId);
  });

  it('refreshes the answers showing a program when it is edited, and leaves groups of other programs cached', async () => {
    const [otherProgram] = await app.db.query<{ id: string }>(
      `insert into program (id, title, summary, session_count, session_length_minutes, status, published_at)
       values (gen_random_uuid(), 'Other Program', 'Elsewhere.', 3, 60, 'PUBLISHED', now()) returning id`,
    );
    await app.db.query(`update therapy_group set program_id = $1 where id = $2`, [otherProgram!.id, b.id]);
    await warm([ONE_GROUP, { id: a.globalId }], [ONE_GROUP, { id: b.globalId }], [TITLES]);
    await app.db.query(`update program set title = 'Renamed Program' where id = $1`, [fixture.programId]);
    for (const server of [app, other]) {
      const aboutA = await group(server, a);
      expect(aboutA.fromCache).toBe(false);
      expect(aboutA.body.data.group.program).toEqual({ title: 'Renamed Program' });
      expect((await group(server, b)).fromCache).toBe(true);
      expect((await ask(server, TITLES)).fromCache).toBe(true); // shows no program
    }
  });

  it('checks freshness with an index range scan however the log grows and whatever its statistics say', async () => {
    const client = new pg.Client({ connectionString: app.db.url });
    await client.connect();
    const scopes = ['catalogue', `seats:${a.id}`, `group:${b.id}`];
    const fill = (others: number, ours: number) =>
      client.query(
        `insert into catalogue_scope_change (scope, txid)
         select 'seats:' || gen_random_uuid(), '3'::xid8 from generate_series(1, $2::int)
         union all
         select $1, (xmin - n)::text::xid8
           from (select pg_snapshot_xmin(pg_current_snapshot())::text::bigint as xmin) s, generate_series(1, $3::int) n
          where xmin - n > 3
         on conflict do nothing`,
        [`seats:${a.id}`, others, ours],
      );
    try {
      const notices: string[] = [];
      client.on('notice', (notice) => notices.push(notice.message ?? ''));
      await client.query(`alter table catalogue_scope_change set (autovacuum_enabled = false)`);
      await client.query(`delete from catalogue_scope_change`);
      await client.query(`analyze catalogue_scope_change`); // statistics of an empty log, never refreshed below
      await client.query(`load 'auto_explain'`);
      await client.query(
        `set auto_explain.log_min_duration = 0; set auto_explain.log_nested_statements = on; set auto_explain.log_level = notice;
         set auto_explain.log_analyze = on; set auto_explain.log_buffers = on; set auto_explain.log_timing = off;
         set plan_cache_mode = force_generic_plan`,
      );
      const snapshot = async () => (await client.query(`select pg_current_snapshot()::text as s`)).rows[0].s as string;
      // As the cache sends it: a prepared statement (planned generically here, as after five runs).
      const planOfCheck = async () => {
        notices.length = 0;
        const { rows } = await client.query({
          name: 'freshness',
          text: `select catalogue_changes_since($1::pg_snapshot, $2::text[]) as changed`,
          values: [await snapshot(), scopes],
        });
        expect(rows).toEqual([{ changed: [] }]);
        return notices.find((n) => n.includes('from catalogue_scope_change')) ?? notices.join('\n');
      };

      const expectRangeScan = (plan: string) => {
        expect(plan).toMatch(/Index (Only )?Scan using catalogue_scope_change_pkey on catalogue_scope_change/);
        // Probed scope by scope (the lateral `limit 1` of migration 0020): a nested loop over the asked scopes.
        expect(plan).toMatch(/Nested Loop[\s\S]*Function Scan on unnest[\s\S]*Limit/);
        expect(plan).toMatch(/Index Cond: \(\(scope = s\.s\) AND \(txid >= .+\)\)/);
        expect(plan).not.toMatch(/Seq Scan|Bitmap/);
        // One descent per scope: a handful of pages, not the log.
        expect(Number(/Buffers: shared hit=(\d+)/.exec(plan)?.[1] ?? Number.NaN)).toBeLessThanOrEqual(15);
      };

      await fill(4000, 2000);
      expectRangeScan(await planOfCheck());
      await fill(90_000, 8000);
      expectRangeScan(await planOfCheck());
      expect((await client.query(`select count(*)::int as n from catalogue_scope_change`)).rows[0].n).toBeGreaterThan(100_000);

      // A writing transaction left open holds every later snapshot's xmin back; 3,000 changes of an
      // asked scope commit after it began. The check must not walk them.
      const writer = new pg.Client({ connectionString: app.db.url });
      await writer.connect();
      try {
        await writer.query('begin');
        const held = BigInt((await writer.query(`select pg_current_xact_id()::text as txid`)).rows[0].txid);
        await client.query(`do $$ begin for i in 1..3000 loop perform pg_current_xact_id(); commit; end loop; end $$`);
        await client.query(
          `insert into catalogue_scope_change (scope, txid) select $1, ($2::bigint + n)::text::xid8 from generate_series(1, 2990) n`,
          [`seats:${a.id}`, held.toString()],
        );
        // The open transaction is running in every snapshot from now on (and, on a shared server, others).
        expect((await snapshot()).split(':')[2]!.split(',')).toContain(held.toString());
        expectRangeScan(await planOfCheck());
      } finally {
        await writer.end();
      }
    } finally {
      await client.end();
    }
  });
});

type Node = Record<string, unknown> & { id: string };

describe('seat splice', () => {
  let sa: Ref;
  let sb: Ref;
  let buyers: Ref[];
  beforeAll(async () => {
    sa = await createOpenGroup(app.db, fixture, 3, 'Splice A');
    sb = await createOpenGroup(app.db, fixture, 3, 'Splice B');
    buyers = await createMembers(app.db, fixture, 6, { prefix: 'Buyer' });
  });
  const page = (server: TestApp, query = PAGE) => server.gql(query, { variables: { id: sa.globalId } });

  /** Caches the page on both servers and returns the cached answer's text. */
  async function warmPage(): Promise<string> {
    let text = '';
    for (const server of [app, other]) {
      await page(server);
      const cached = await page(server);
      expect(cached.cache).toBe('hit');
      text = cached.text;
    }
    return text;
  }

  it('serves the page spliced after a reservation, exactly as a fresh answer, on every server, then as a plain hit', async () => {
    const before = JSON.parse(await warmPage());
    expect((await reserve(other, sa, buyers[0]!)).status).toBe('CONFIRMED');
    for (const server of [app, other]) {
      const spliced = await page(server);
      expect(spliced.cache).toBe('spliced');
      const fresh = await page(server, FRESH);
      expect(fresh.cache).toBeNull();
      expect(spliced.text).toBe(fresh.text);
      // Nothing beyond the original: the original with A's seat figures moved by one seat, whole.
      const moved = (node: Node) => (node.id === sa.globalId ? { ...node, taken: 1, seatsTaken: 1, free: 2 } : node);
      expect(spliced.body).toEqual({
        data: {
          groups: { nodes: before.data.groups.nodes.map(moved) },
          one: { ...before.data.one, seatsAvailable: 2 },
        },
      });
      // Stored with a newer snapshot: the next answer is a plain hit, still the new figures.
      const again = await page(server);
      expect(again.cache).toBe('hit');
      expect(again.text).toBe(fresh.text);
    }
  });

  it('splices only the changed group and keeps splicing through further seat moves', async () => {
    await warmPage();
    await reserve(app, sb, buyers[1]!);
    const first = await page(other);
    expect(first.cache).toBe('spliced');
    await reserve(app, sa, buyers[2]!);
    await reserve(app, sb, buyers[3]!);
    const second = await page(other);
    expect(second.cache).toBe('spliced');
    expect(second.text).toBe((await page(other, FRESH)).text);
    const byId = new Map<string, Node>(second.body.data.groups.nodes.map((n: Node) => [n.id, n]));
    expect(byId.get(sa.globalId)).toMatchObject({ seatsTaken: 2, free: 1 });
    expect(byId.get(sb.globalId)).toMatchObject({ seatsTaken: 2, free: 1 });
  });

  it('recomputes when anything but seats changed, even together with a seat move', async () => {
    await warmPage();
    await app.db.query(`update therapy_group set title = 'Splice A, renamed' where id = $1`, [sa.id]);
    const renamed = await page(other);
    expect(renamed.cache).toBeNull();
    expect(renamed.body.data.one.title).toBe('Splice A, renamed');
    await warmPage();
    expect((await reserve(app, sa, buyers[4]!)).status).toBe('CONFIRMED'); // fills A
    await app.db.query(`update program set title = 'Renamed for the splice' where id = $1`, [fixture.programId]);
    for (const server of [app, other]) {
      const both = await page(server);
      expect(both.cache).toBeNull();
      expect(both.text).toBe((await page(server, FRESH)).text);
      expect(both.body.data.one).toMatchObject({ seatsAvailable: 0 });
    }
  });

  it('drops a spliced answer when a hold it shows runs out, with no write to announce it', async () => {
    const [unsigned] = await createMembers(app.db, fixture, 1, { signed: false, prefix: 'Unsigned buyer' });
    await warmPage();
    expect((await reserve(app, sb, unsigned!)).status).toBe('HELD');
    // The hold runs out in a second (no sweeper here; running out writes nothing).
    await app.db.query(`update reservation set expires_at = now() + interval '1 second' where group_id = $1 and status = 'HELD'`, [sb.id]);
    const held = await page(other);
    expect(held.cache).toBe('spliced');
    const heldB = held.body.data.groups.nodes.find((n: Node) => n.id === sb.globalId);
    expect(heldB).toMatchObject({ seatsHeld: 1 });
    await new Promise((resolve) => setTimeout(resolve, 1500));
    const after = await page(other);
    expect(after.cache).toBeNull();
    expect(after.body.data.groups.nodes.find((n: Node) => n.id === sb.globalId)).toMatchObject({
      seatsHeld: 0,
      seatsTaken: heldB.seatsTaken - 1,
    });
  });
});
