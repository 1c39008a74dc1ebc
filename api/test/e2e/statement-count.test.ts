/**
 * No N+1: the catalogue query runs the same number of SQL statements whatever the page size;
 * a seat mutation runs a fixed, short list of statements. Counted by the server itself
 * (x-sql-statements: every statement MikroORM or the seat engine's plain SQL sends in the request).
 */
import { DateTime } from 'luxon';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toGlobalId } from '../../src/graphql/ids.js';
import { GroupEntity, GroupFormat, GroupStatus, GroupType, Weekday } from '../../src/modules/groups/index.js';
import { MemberEntity } from '../../src/modules/members/index.js';
import { ProgramEntity, ProgramStatus } from '../../src/modules/programs/index.js';
import { ReservationEntity, ReservationStatus } from '../../src/modules/reservations/index.js';
import { planSessions } from '../../src/modules/groups/index.js';
import { SessionEntity } from '../../src/modules/groups/index.js';
import { TherapistEntity } from '../../src/modules/therapists/index.js';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { addGroup, addMember, buildWorld } from '../support/world.js';

let app: TestApp;
let programId: string;

const CATALOGUE = `
  query Catalogue($first: Int!, $programId: ID!) {
    groups(first: $first, filter: { programId: $programId }) {
      nodes {
        id title capacity
        program { title sessionCount }
        leadTherapist { displayName }
        coTherapists { displayName }
        seatsTaken seatsAvailable
        nextSession { startsAt startsAtLocal }
      }
      pageInfo { hasNextPage endCursor }
    }
  }`;

beforeAll(async () => {
  app = await startTestApp();
  const em = app.orm.em.fork();
  await em.transactional(async (tx) => {
    const program = tx.create(ProgramEntity, {
      title: 'Counted',
      summary: 's',
      sessionCount: 4,
      sessionLengthMinutes: 60,
      status: ProgramStatus.PUBLISHED,
    });
    programId = program.id;
    const therapists = Array.from({ length: 6 }, (_, i) =>
      tx.create(TherapistEntity, { displayName: `T${i}`, credentials: 'LCSW', timeZone: 'UTC' }),
    );
    const members = Array.from({ length: 20 }, (_, i) => tx.create(MemberEntity, { displayName: `M${i}`, timeZone: 'UTC' }));
    for (let g = 0; g < 50; g++) {
      const schedule = {
        timeZone: ['Europe/Berlin', 'America/New_York', 'Asia/Tokyo'][g % 3]!,
        startsOn: DateTime.utc()
          .plus({ days: 3 + g })
          .toISODate()!,
        weekday: Weekday.TUESDAY,
        startTime: '18:00',
        durationMinutes: 60,
        sessionCount: 4,
      };
      const group = tx.create(GroupEntity, {
        program,
        title: `Group ${g}`,
        leadTherapist: therapists[g % 6]!,
        capacity: 8,
        type: GroupType.CLOSED,
        format: GroupFormat.ONLINE,
        ...schedule,
        status: GroupStatus.OPEN,
      });
      group.coTherapists.set([therapists[(g + 1) % 6]!, therapists[(g + 2) % 6]!]);
      for (const s of planSessions(schedule)) tx.create(SessionEntity, { group, ...s });
      for (let r = 0; r < g % 5; r++)
        tx.create(ReservationEntity, { group, member: members[(g + r) % 20]!, status: ReservationStatus.CONFIRMED });
    }
  });
});
afterAll(() => app.close());

describe('statement count', () => {
  it("runs the same number of statements (at most 7, the public cache's snapshot included) for 1, 10 and 50 groups", async () => {
    const counts: Record<number, number> = {};
    for (const first of [1, 10, 50]) {
      const response = await app.gql(CATALOGUE, { variables: { first, programId: toGlobalId('Program', programId) } });
      expect(response.body.errors).toBeUndefined();
      expect(response.body.data.groups.nodes).toHaveLength(first);
      for (const group of response.body.data.groups.nodes) {
        expect(group.coTherapists).toHaveLength(2);
        expect(group.nextSession).not.toBeNull();
      }
      counts[first] = response.sqlStatements;
      console.log(`catalogue groups(first: ${first}): ${response.sqlStatements} SQL statements`);
    }
    expect(counts[1]).toBeLessThanOrEqual(7);
    expect(counts).toEqual({ 1: counts[1], 10: counts[1], 50: counts[1] });
  });

  it('serves a cached page of 50 groups with exactly one statement, its freshness check', async () => {
    const variables = { first: 50, programId: toGlobalId('Program', programId) };
    const miss = await app.gql(CATALOGUE, { variables });
    const hit = await app.gql(CATALOGUE, { variables });
    expect(hit.fromCache).toBe(true);
    expect(hit.text).toBe(miss.text);
    expect(hit.sqlStatements).toBe(1);
  });

  it('serves the page with fresh seat figures after a seat move with two statements, the check and the seat read', async () => {
    const variables = { first: 50, programId: toGlobalId('Program', programId) };
    await app.gql(CATALOGUE, { variables });
    expect((await app.gql(CATALOGUE, { variables })).fromCache).toBe(true);
    // A seat moves in two groups of the page: a confirmed reservation turns cancelled in each.
    await app.db.query(
      `update reservation set status = 'CANCELLED' where id in (
         select distinct on (r.group_id) r.id from reservation r join therapy_group g on g.id = r.group_id
          where g.program_id = $1 and r.status = 'CONFIRMED' order by r.group_id limit 2)`,
      [programId],
    );
    const spliced = await app.gql(CATALOGUE, { variables });
    expect(spliced.cache).toBe('spliced');
    expect(spliced.sqlStatements).toBe(2);
  });
});

describe('seat mutations', () => {
  const RESERVE = `mutation Reserve($input: ReserveSeatInput!) {
    reserveSeat(input: $input) { reservation { id status expiresAt group { id } member { id } } userErrors { code } } }`;
  const CANCEL = `mutation Cancel($input: CancelReservationInput!) {
    cancelReservation(input: $input) { reservation { id status } userErrors { code } } }`;

  // reserve: the API key, the member, then the whole seat transaction in ONE statement
  // (`reserve_seat_v1`: claim, lock, settle, insert, returning the row the payload is built
  // from), and the payload's group and member. cancel: the API key, the reservation (who may
  // cancel it), then `end_reservation_v1`. Each also appends its staff action row, as every
  // partner mutation does. No begin/commit: the function's statement is its own transaction.
  it('reserveSeat runs 6 statements and cancelReservation 4, as a partner (one seat call and one staff action row each)', async () => {
    const world = await buildWorld(app);
    const member = await addMember(app, world, { displayName: 'Counted Member' });
    const group = await addGroup(app, world, { title: 'Counted Group', capacity: 3 });
    const token = world.partners.referring.token;
    const reserved = await app.gql(RESERVE, { variables: { input: { groupId: group.globalId, memberId: member.globalId } }, token });
    expect(reserved.body).toEqual({
      data: {
        reserveSeat: {
          reservation: {
            id: expect.any(String),
            status: 'HELD',
            expiresAt: expect.any(String),
            group: { id: group.globalId },
            member: { id: member.globalId },
          },
          userErrors: [],
        },
      },
    });
    const reservationId = reserved.body.data.reserveSeat.reservation.id;
    const cancelled = await app.gql(CANCEL, { variables: { input: { reservationId } }, token });
    expect(cancelled.body).toEqual({
      data: { cancelReservation: { reservation: { id: reservationId, status: 'CANCELLED' }, userErrors: [] } },
    });
    console.log(`reserveSeat: ${reserved.sqlStatements} SQL statements; cancelReservation: ${cancelled.sqlStatements}`);
    expect({ reserve: reserved.sqlStatements, cancel: cancelled.sqlStatements }).toEqual({ reserve: 6, cancel: 4 });
  });
});
