/**
 * The public cache splices fresh seat figures into a cached answer whose only changes are seat
 * scopes (graphql/public-cache.ts, docs/decisions/0011-catalogue-scopes.md): the spliced answer
 * is byte for byte the answer a fresh computation gives — on every server, aliases included —
 * and carries nothing the original did not; any other change still recomputes; a hold spliced in
 * still frees its seat when it runs out, with no write to tell the cache.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { arrangeSeatFixture, createMembers, createOpenGroup, RESERVE_SEAT, type Ref, type SeatFixture } from '../support/seat-fixture.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

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
let members: Ref[];

beforeAll(async () => {
  app = await startTestApp({ holdSweepMs: 0 });
  other = await startTestApp({ database: app.db, holdSweepMs: 0 });
  fixture = await arrangeSeatFixture(app.db);
  a = await createOpenGroup(app.db, fixture, 3, 'Splice A');
  b = await createOpenGroup(app.db, fixture, 3, 'Splice B');
  members = await createMembers(app.db, fixture, 6);
});

afterAll(async () => {
  await other?.close();
  await app?.close();
});

const page = (server: TestApp, query = PAGE) => server.gql(query, { variables: { id: a.globalId } });

/** Caches the page on both servers and returns the cached answer's text. */
async function warm(): Promise<string> {
  let text = '';
  for (const server of [app, other]) {
    await page(server);
    const cached = await page(server);
    expect(cached.cache).toBe('hit');
    text = cached.text;
  }
  return text;
}

async function reserve(server: TestApp, ref: Ref, member: Ref): Promise<string> {
  const answer = await server.gql(RESERVE_SEAT, {
    variables: { input: { groupId: ref.globalId, memberId: member.globalId } },
    token: fixture.partner.apiKey,
  });
  expect(answer.body.data.reserveSeat.userErrors).toEqual([]);
  return answer.body.data.reserveSeat.reservation.status;
}

type Node = Record<string, unknown> & { id: string };

describe('seat splice', () => {
  it('serves the page spliced after a reservation, exactly as a fresh answer, on every server, then as a plain hit', async () => {
    const before = JSON.parse(await warm());
    expect(await reserve(other, a, members[0]!)).toBe('CONFIRMED');
    for (const server of [app, other]) {
      const spliced = await page(server);
      expect(spliced.cache).toBe('spliced');
      const fresh = await page(server, FRESH);
      expect(fresh.cache).toBeNull();
      expect(spliced.text).toBe(fresh.text);
      // Nothing beyond the original: the original with A's seat figures moved by one seat, whole.
      const moved = (node: Node) => (node.id === a.globalId ? { ...node, taken: 1, seatsTaken: 1, free: 2 } : node);
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
    await warm();
    await reserve(app, b, members[1]!);
    const first = await page(other);
    expect(first.cache).toBe('spliced');
    await reserve(app, a, members[2]!);
    await reserve(app, b, members[3]!);
    const second = await page(other);
    expect(second.cache).toBe('spliced');
    expect(second.text).toBe((await page(other, FRESH)).text);
    const byId = new Map<string, Node>(second.body.data.groups.nodes.map((n: Node) => [n.id, n]));
    expect(byId.get(a.globalId)).toMatchObject({ seatsTaken: 2, free: 1 });
    expect(byId.get(b.globalId)).toMatchObject({ seatsTaken: 2, free: 1 });
  });

  it('recomputes when anything but seats changed, even together with a seat move', async () => {
    await warm();
    await app.db.query(`update therapy_group set title = 'Splice A, renamed' where id = $1`, [a.id]);
    const renamed = await page(other);
    expect(renamed.cache).toBeNull();
    expect(renamed.body.data.one.title).toBe('Splice A, renamed');
    await warm();
    expect(await reserve(app, a, members[4]!)).toBe('CONFIRMED'); // fills A
    await app.db.query(`update program set title = 'Renamed Program' where id = $1`, [fixture.programId]);
    for (const server of [app, other]) {
      const both = await page(server);
      expect(both.cache).toBeNull();
      expect(both.text).toBe((await page(server, FRESH)).text);
      expect(both.body.data.one).toMatchObject({ seatsAvailable: 0 });
    }
  });

  it('drops a spliced answer when a hold it shows runs out, with no write to announce it', async () => {
    const [unsigned] = await createMembers(app.db, fixture, 1, { signed: false, prefix: 'Unsigned' });
    await warm();
    expect(await reserve(app, b, unsigned!)).toBe('HELD');
    // The hold runs out in a second (no sweeper here; running out writes nothing).
    await app.db.query(`update reservation set expires_at = now() + interval '1 second' where group_id = $1 and status = 'HELD'`, [b.id]);
    const held = await page(other);
    expect(held.cache).toBe('spliced');
    const heldB = held.body.data.groups.nodes.find((n: Node) => n.id === b.globalId);
    expect(heldB).toMatchObject({ seatsHeld: 1 });
    await new Promise((resolve) => setTimeout(resolve, 1500));
    const after = await page(other);
    expect(after.cache).toBeNull();
    expect(after.body.data.groups.nodes.find((n: Node) => n.id === b.globalId)).toMatchObject({
      seatsHeld: 0,
      seatsTaken: heldB.seatsTaken - 1,
    });
  });
});
