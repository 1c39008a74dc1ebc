/**
 * The public catalogue cache stays exact in a storm (issue 17, part 3): clients reserve seats in
 * three groups concurrently through 4 API processes while readers keep the catalogue cached on
 * every process. After each acknowledged reservation, the next catalogue answer from EVERY
 * process counts it (in seats taken or the waitlist), and the answers about the other groups
 * keep coming from the cache; the list showing the moved seats is served spliced (fresh seat
 * figures in the cached page) rather than recomputed.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ApiProcesses, startApiProcesses } from '../support/api-processes.js';
import { arrangeSeatFixture, createMembers, createOpenGroup, RESERVE_SEAT, type Ref, type SeatFixture } from '../support/seat-fixture.js';

const PROCESSES = 4;
const CAPACITY = 6;
const PER_GROUP = 16;
const RESERVERS = 6;
const READERS = 2;

const CATALOGUE = `query Exact { groups(first: 10) { nodes { id seatsTaken waitlistLength } } }`;
const ONE_GROUP = `query ExactGroup($id: ID!) { group(id: $id) { id seatsTaken waitlistLength } }`;

let api: ApiProcesses;
let fixture: SeatFixture;
let groups: Ref[];
let members: Ref[];

beforeAll(async () => {
  api = await startApiProcesses({ count: PROCESSES });
  fixture = await arrangeSeatFixture(api.db);
  groups = [];
  for (const name of ['Exact A', 'Exact B', 'Exact C']) groups.push(await createOpenGroup(api.db, fixture, CAPACITY, name));
  members = await createMembers(api.db, fixture, PER_GROUP * groups.length);
  await api.warm(RESERVERS + READERS);
});

afterAll(async () => {
  await api?.stop();
});

type Counts = Map<string, number>;
const counted = (nodes: { id: string; seatsTaken: number; waitlistLength: number }[]): Counts =>
  new Map(nodes.map((n) => [n.id, n.seatsTaken + n.waitlistLength]));

describe('catalogue exactness in a storm', () => {
  it('shows each acknowledged reservation in the next catalogue answer from every process', async () => {
    const acknowledged = new Map(groups.map((g) => [g.globalId, 0]));
    const shortfalls: string[] = [];
    let hits = 0;
    let otherGroupHits = 0;
    let splicedLists = 0;
    let next = 0;
    let done = false;

    /** Every process's next answer must count at least what was acknowledged before it was asked. */
    async function checkEveryProcess(reserved: Ref) {
      const floor = new Map(acknowledged);
      const others = groups.filter((g) => g !== reserved);
      await Promise.all(
        api.processes.map(async (p) => {
          const list = await p.gql(CATALOGUE);
          if (list.headers['x-kindred-cache'] === 'hit') hits++;
          if (list.headers['x-kindred-cache'] === 'spliced') splicedLists++;
          for (const [id, total] of counted(list.body.data.groups.nodes)) {
            if (total < floor.get(id)!) shortfalls.push(`process ${p.index}, list: ${id} shows ${total} < ${floor.get(id)}`);
          }
          for (const group of [reserved, ...others]) {
            const one = await p.gql(ONE_GROUP, { variables: { id: group.globalId } });
            const total = one.body.data.group.seatsTaken + one.body.data.group.waitlistLength;
            if (total < floor.get(group.globalId)!)
              shortfalls.push(`process ${p.index}, group: ${group.globalId} shows ${total} < ${floor.get(group.globalId)}`);
            if (one.headers['x-kindred-cache'] === 'hit') {
              hits++;
              if (group !== reserved) otherGroupHits++;
            }
          }
        }),
      );
    }

    const reserver = async (r: number) => {
      for (let i = next++; i < members.length; i = next++) {
        const group = groups[i % groups.length]!;
        const answer = await api.at(i + r).gql(RESERVE_SEAT, {
          variables: { input: { groupId: group.globalId, memberId: members[i]!.globalId } },
          token: fixture.partner.apiKey,
        });
        expect(answer.body.data.reserveSeat.userErrors).toEqual([]);
        acknowledged.set(group.globalId, acknowledged.get(group.globalId)! + 1);
        await checkEveryProcess(group);
      }
    };
    // Readers keep entries cached on every process while seats move.
    const reader = async (r: number) => {
      for (let i = r; !done; i++) {
        await api.at(i).gql(CATALOGUE);
        await api.at(i).gql(ONE_GROUP, { variables: { id: groups[i % groups.length]!.globalId } });
      }
    };

    const readers = Array.from({ length: READERS }, (_, r) => reader(r));
    await Promise.all(Array.from({ length: RESERVERS }, (_, r) => reserver(r)));
    done = true;
    await Promise.all(readers);

    console.log(
      `catalogue exactness: ${members.length} reservations, ${hits} cache hits in the checks (${otherGroupHits} about another group), ${splicedLists} lists spliced`,
    );
    expect(shortfalls).toEqual([]);
    expect(otherGroupHits).toBeGreaterThan(0);
    expect(splicedLists).toBeGreaterThan(0);
    for (const p of api.processes) {
      const final = counted((await p.gql(CATALOGUE)).body.data.groups.nodes);
      expect(Object.fromEntries(final)).toEqual(Object.fromEntries(groups.map((g) => [g.globalId, PER_GROUP])));
    }
  });

  it('serves every process its cached page spliced after a reservation, byte for byte the fresh answer', async () => {
    const PAGE = `query Spliced { groups(first: 10) { nodes { id title taken: seatsTaken seatsAvailable waits: waitlistLength } } }`;
    for (const p of api.processes) {
      await p.gql(PAGE);
      expect((await p.gql(PAGE)).headers['x-kindred-cache']).toBe('hit');
    }
    const [late] = await createMembers(api.db, fixture, 1, { prefix: 'Late' });
    const answer = await api.at(0).gql(RESERVE_SEAT, {
      variables: { input: { groupId: groups[1]!.globalId, memberId: late!.globalId } },
      token: fixture.partner.apiKey,
    });
    expect(answer.body.data.reserveSeat.userErrors).toEqual([]);
    for (const p of api.processes) {
      const spliced = await p.gql(PAGE);
      expect(spliced.headers['x-kindred-cache']).toBe('spliced');
      const fresh = await p.gql(`${PAGE} `); // another cache key: computed afresh
      expect(fresh.headers['x-kindred-cache']).toBeUndefined();
      expect(spliced.text).toBe(fresh.text);
      expect(spliced.body.data.groups.nodes).toContainEqual(
        // The storm above left the group full with PER_GROUP members: the late one waits.
        expect.objectContaining({ id: groups[1]!.globalId, taken: CAPACITY, waits: PER_GROUP - CAPACITY + 1 }),
      );
    }
  });
});
