/**
 * Holds end to end (docs/seat-rules.md, rules 3 and 5): an unsigned member's seat is HELD until
 * `expiresAt`; signing in time confirms it; a hold that runs out counts as a free seat in every
 * read at once, and is EXPIRED by the system with its seat given to the first waitlisted member
 * by whichever comes first, the sweeper or the next seat transaction on the group — never by a
 * read (docs/decisions/0006-reads-never-write.md). Holds are made due by moving `expires_at` into
 * the past in SQL.
 *
 * This file's server runs without a sweeper, so only the path under test can expire a hold; the
 * tests call the sweep themselves, and the sweeper's own test starts a second server on the same
 * database.
 */
import { afterAll, describe, expect, it } from 'vitest';
import {
  event,
  instantNear,
  promoted,
  RESERVATION_FIELDS,
  readReservations,
  recently,
  reservationShape,
  type ShapeMember,
} from '../support/reservation-shapes.js';
import { sweepDueHolds } from '../../src/modules/reservations/index.js';
import { startTestApp } from '../support/test-app.js';
import { type Actor, addGroup, addMember, startWorld } from '../support/world.js';

const { app, world } = await startWorld({ holdSweepMs: 0 });
afterAll(() => app.close());

const RESERVE = `mutation Reserve($input: ReserveSeatInput!) {
  reserveSeat(input: $input) { reservation { ${RESERVATION_FIELDS} } userErrors { code field message } } }`;
const SIGN = `mutation Sign($input: SignAgreementInput!) { signAgreement(input: $input) { signature { id } userErrors { code field } } }`;
const SEATS = `query Seats($id: ID!) { group(id: $id) { seatsTaken seatsHeld seatsAvailable waitlistLength } }`;

type Member = Actor & ShapeMember;
type Group = { id: string; globalId: string };

let names = 0;
async function member(signed: boolean): Promise<Member> {
  const displayName = `Holder ${++names}`;
  return { ...(await addMember(app, world, { displayName, signed })), signed };
}

/** The referring partner reserves; returns the reservation's global ID. */
async function reserve(who: Member, where: Group): Promise<string> {
  const response = await app.gql(RESERVE, {
    variables: { input: { groupId: where.globalId, memberId: who.globalId } },
    token: world.partners.referring.token,
  });
  expect(response.body.data.reserveSeat.userErrors).toEqual([]);
  return response.body.data.reserveSeat.reservation.id;
}

/** Reads reservations as an admin: a reservation read never expires anything by itself. */
const read = (...ids: string[]) => readReservations(app, world.admin.token, ids);

/** Makes the holds of the given reservations due, without anything in the API noticing. */
async function makeDue(...globalIds: string[]) {
  const ids = globalIds.map((id) => Buffer.from(id, 'base64url').toString('utf8').split(':')[1]);
  await app.db.query(`update reservation set expires_at = now() - interval '1 second' where id = any($1::uuid[])`, [ids]);
}

const statusOf = async (globalId: string) => (await read(globalId))[0].status as string;

/**
 * A full one-seat group: `holder` (unsigned) HELD, then `next` (signed) first on the waitlist.
 * The expected shapes of both once the hold has expired and `next` got the seat.
 */
async function heldSeatWithWaitlist() {
  const where = await addGroup(app, world, { title: `Hold group ${++names}`, capacity: 1 });
  const [holder, next] = [await member(false), await member(true)];
  const held = await reserve(holder, where);
  const waiting = await reserve(next, where);
  const expired = reservationShape(holder, where, {
    id: held,
    status: 'EXPIRED',
    endedAt: recently(),
    endedBy: 'SYSTEM',
    history: [event(null, 'HELD', 'PARTNER'), event('HELD', 'EXPIRED', 'SYSTEM', 'hold expired')],
  });
  const seated = reservationShape(next, where, {
    id: waiting,
    history: [event(null, 'WAITLISTED', 'PARTNER'), promoted('CONFIRMED')],
  });
  return { where, holder, next, held, waiting, expired, seated };
}

describe('an unsigned hold that runs out', () => {
  it('counts as a free seat in every read at once, and no read settles it: the sweep gives it to the first waitlisted member', async () => {
    const { where, held, waiting, expired, seated } = await heldSeatWithWaitlist();
    await makeDue(held);
    // Anyone may read seat figures (the public catalogue); a due hold never counts as taken.
    const seats = await app.gql(SEATS, { variables: { id: where.globalId } });
    expect(seats.body).toEqual({ data: { group: { seatsTaken: 0, seatsHeld: 0, seatsAvailable: 1, waitlistLength: 1 } } });
    expect(await statusOf(held)).toBe('HELD');
    expect(await statusOf(waiting)).toBe('WAITLISTED');
    await sweepDueHolds(app.orm);
    expect(await read(held, waiting)).toEqual([expired, seated]);
    const settled = await app.gql(SEATS, { variables: { id: where.globalId } });
    expect(settled.body).toEqual({ data: { group: { seatsTaken: 1, seatsHeld: 0, seatsAvailable: 0, waitlistLength: 0 } } });
  });

  it('never contradicts itself within one request: the group and the catalogue filter agree on a due hold', async () => {
    const where = await addGroup(app, world, { title: `Hold group ${++names}`, capacity: 1 });
    const held = await reserve(await member(false), where);
    await makeDue(held);
    const both = await app.gql(
      `query Both($id: ID!) {
         group(id: $id) { id seatsAvailable }
         free: groups(first: 100, filter: { hasSeatsAvailable: true }) { nodes { id } }
         full: groups(first: 100, filter: { hasSeatsAvailable: false }) { nodes { id } }
       }`,
      { variables: { id: where.globalId } },
    );
    expect(both.body.errors).toBeUndefined();
    const ids = (list: { nodes: { id: string }[] }) => list.nodes.map((node) => node.id);
    expect({
      seatsAvailable: both.body.data.group.seatsAvailable,
      listedAsFree: ids(both.body.data.free).includes(where.globalId),
      listedAsFull: ids(both.body.data.full).includes(where.globalId),
    }).toEqual({ seatsAvailable: 1, listedAsFree: true, listedAsFull: false });
    expect(await statusOf(held)).toBe('HELD');
  });

  it('is expired by the sweeper without any read', async () => {
    const { held, waiting, expired, seated } = await heldSeatWithWaitlist();
    const sweeping = await startTestApp({ database: app.db, holdSweepMs: 200 });
    try {
      await makeDue(held);
      const deadline = Date.now() + 10_000;
      const statusInDb = async () =>
        (await app.db.query<{ status: string }>(`select status from reservation where expires_at <= now() and status = 'HELD'`)).length;
      while ((await statusInDb()) > 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 100));
    } finally {
      await sweeping.close();
    }
    expect(await read(held, waiting)).toEqual([expired, seated]);
  });

  it('is expired by the next seat transaction on the group before that transaction takes a seat', async () => {
    const { where, held, waiting, expired, seated } = await heldSeatWithWaitlist();
    await makeDue(held);
    const late = await member(true);
    const response = await app.gql(RESERVE, {
      variables: { input: { groupId: where.globalId, memberId: late.globalId } },
      token: world.partners.referring.token,
    });
    // The freed seat went to the member already waiting, not to the newcomer.
    expect(response.body).toEqual({
      data: {
        reserveSeat: {
          reservation: reservationShape(late, where, {
            status: 'WAITLISTED',
            waitlistPosition: 1,
            history: [event(null, 'WAITLISTED', 'PARTNER')],
          }),
          userErrors: [],
        },
      },
    });
    expect(await read(held, waiting)).toEqual([expired, seated]);
  });

  it('gives a promoted unsigned member a hold of its own, for the full hold time from the promotion', async () => {
    const where = await addGroup(app, world, { title: `Hold group ${++names}`, capacity: 1 });
    const [holder, next] = [await member(false), await member(false)];
    const held = await reserve(holder, where);
    const waiting = await reserve(next, where);
    await app.db.query('update therapy_group set hold_minutes = 45 where id = $1', [where.id]);
    await makeDue(held);
    await sweepDueHolds(app.orm);
    expect(await read(waiting)).toEqual([
      reservationShape(next, where, {
        id: waiting,
        status: 'HELD',
        expiresAt: instantNear(Date.now() + 45 * 60_000),
        history: [event(null, 'WAITLISTED', 'PARTNER'), promoted('HELD')],
      }),
    ]);
  });

  it("confirms the seat instead when the member's signature was recorded before the hold was noticed", async () => {
    const { where, holder, next, held, waiting } = await heldSeatWithWaitlist();
    // A signature that raced the reservation: stored, but the hold was not confirmed by it.
    await app.db.query(
      `insert into signature (id, member_id, agreement_version_id, typed_name, channel, partner_id, signed_at)
       select gen_random_uuid(), $1, v.id, 'Raced', 'PARTNER', $2, now() from agreement_version v
        where v.agreement_id = $3 order by v.version desc limit 1`,
      [holder.id, world.partners.referring.id, world.agreement.id],
    );
    await makeDue(held);
    await sweepDueHolds(app.orm);
    const [confirmed, stillWaiting] = await read(held, waiting);
    expect(confirmed).toEqual(
      reservationShape({ ...holder, signed: true }, where, {
        id: held,
        history: [
          event(null, 'HELD', 'PARTNER'),
          { fromStatus: 'HELD', toStatus: 'CONFIRMED', actorKind: 'SYSTEM', reason: expect.anything() },
        ],
      }),
    );
    expect(stillWaiting).toEqual(
      reservationShape(next, where, {
        id: waiting,
        status: 'WAITLISTED',
        waitlistPosition: 1,
        history: [event(null, 'WAITLISTED', 'PARTNER')],
      }),
    );
  });
});

describe('signing', () => {
  it('confirms a live hold at once: CONFIRMED, with no expiry', async () => {
    const { where, holder, held } = await heldSeatWithWaitlist();
    const signed = await app.gql(SIGN, {
      variables: { input: { agreementId: world.agreement.globalId, memberId: holder.globalId, typedName: 'Holder Signs' } },
      token: world.partners.referring.token,
    });
    expect(signed.body).toEqual({ data: { signAgreement: { signature: { id: expect.any(String) }, userErrors: [] } } });
    expect(await read(held)).toEqual([
      reservationShape({ ...holder, signed: true }, where, {
        id: held,
        history: [event(null, 'HELD', 'PARTNER'), event('HELD', 'CONFIRMED', 'PARTNER')],
      }),
    ]);
    const seats = await app.gql(SEATS, { variables: { id: where.globalId } });
    expect(seats.body).toEqual({ data: { group: { seatsTaken: 1, seatsHeld: 0, seatsAvailable: 0, waitlistLength: 1 } } });
  });

  it('after the hold ran out records the signature but does not revive the hold', async () => {
    const { holder, held, waiting, expired, seated } = await heldSeatWithWaitlist();
    await makeDue(held);
    const signed = await app.gql(SIGN, {
      variables: { input: { agreementId: world.agreement.globalId, memberId: holder.globalId, typedName: 'Holder Signs Late' } },
      token: world.partners.referring.token,
    });
    expect(signed.body).toEqual({ data: { signAgreement: { signature: { id: expect.any(String) }, userErrors: [] } } });
    // Now signed, the holder no longer needs a signature, but its seat is gone.
    expect(await read(held, waiting)).toEqual([{ ...expired, needsSignature: false }, seated]);
  });
});
