/**
 * Reservations end to end, over HTTP as a partner app or the admin app would call them: reserving
 * (by the member, its partner, an admin), the refusals, cancelling (who, late or not), removing,
 * moving between groups, capacity changes and group cancellation, the status history, signatures
 * asked for again, and who sees a group's waitlist. Whole reservations are compared.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newId } from '../../src/db/ids.js';
import { toGlobalId } from '../../src/graphql/ids.js';
import {
  event,
  instantNear,
  promoted,
  RESERVATION_FIELDS,
  readReservations,
  type ReservationStatus as Status,
  recently,
  reservationShape,
  type ShapeMember,
  topLevel,
  userError,
} from '../support/reservation-shapes.js';
import { type Actor, addGroup, addMember, startWorld } from '../support/world.js';

const { app, world } = await startWorld();
afterAll(() => app.close());

const PAYLOAD = `reservation { ${RESERVATION_FIELDS} } userErrors { code field message }`;
const RESERVE = `mutation Reserve($input: ReserveSeatInput!) { reserveSeat(input: $input) { ${PAYLOAD} } }`;
const CANCEL = `mutation Cancel($input: CancelReservationInput!) { cancelReservation(input: $input) { ${PAYLOAD} } }`;
const REMOVE = `mutation Remove($input: RemoveReservationInput!) { removeReservation(input: $input) { ${PAYLOAD} } }`;
const MOVE = `mutation Move($input: MoveReservationInput!) { moveReservation(input: $input) { ${PAYLOAD} } }`;
const SEATS = `query Seats($id: ID!) { group(id: $id) { seatsTaken seatsHeld seatsAvailable waitlistLength } }`;

type Member = Actor & ShapeMember;
type Group = { id: string; globalId: string };

let names = 0;
/** A member referred by the referring partner (or `partner`), signed or not. */
async function member(signed: boolean, partner: 'referring' | 'other' = 'referring'): Promise<Member> {
  const displayName = `Member ${++names}`;
  return { ...(await addMember(app, world, { displayName, signed, partner })), signed };
}

const group = (capacity: number) => addGroup(app, world, { title: `Group ${++names}`, capacity });

async function mutate(mutation: string, input: Record<string, unknown>, token?: string) {
  const response = await app.gql(mutation, { variables: { input }, token });
  return response.body;
}

/** Runs a mutation that must answer a payload, and returns the payload. */
async function payloadOf(mutation: string, input: Record<string, unknown>, token?: string) {
  const body = await mutate(mutation, input, token);
  expect(body.errors).toBeUndefined();
  return Object.values(body.data as Record<string, unknown>)[0] as { reservation: any; userErrors: unknown[] };
}

/** Reserves as `token` (default: the referring partner) and returns the new reservation. */
async function reserve(who: Member, where: Group, token = world.partners.referring.token) {
  const result = await payloadOf(RESERVE, { groupId: where.globalId, memberId: who.globalId }, token);
  expect(result.userErrors).toEqual([]);
  return result.reservation as { id: string; status: Status };
}

/** Reads reservations as an admin: a reservation read never expires anything by itself. */
const read = (...ids: string[]) => readReservations(app, world.admin.token, ids);

async function seats(where: Group) {
  const response = await app.gql(SEATS, { variables: { id: where.globalId }, token: world.admin.token });
  return response.body.data.group;
}

/** Every reservation row, for checking that a refused mutation changed nothing. */
const snapshot = () => app.db.query('select * from reservation order by id');

describe('seat mutation payloads', () => {
  // The payload is built from the row the seat transaction wrote, not read again: it must be
  // exactly what any later read returns, timestamps included.
  const FULL = `${RESERVATION_FIELDS} createdAt`;
  const full = (mutation: string) => mutation.replace(PAYLOAD, `reservation { ${FULL} } userErrors { code field message }`);

  it('answers reserve, cancel and a waitlist place with the reservation as a later read sees it', async () => {
    const [ada, bo, where] = [await member(false), await member(true), await group(1)];
    const token = world.partners.referring.token;
    const held = await payloadOf(full(RESERVE), { groupId: where.globalId, memberId: ada.globalId }, token);
    const waiting = await payloadOf(full(RESERVE), { groupId: where.globalId, memberId: bo.globalId }, token);
    expect([held.reservation.status, waiting.reservation.status]).toEqual(['HELD', 'WAITLISTED']);
    const cancelled = await payloadOf(full(CANCEL), { reservationId: held.reservation.id }, token);
    expect(cancelled.reservation.status).toBe('CANCELLED');
    const read = async (id: string) => {
      const response = await app.gql(`query One($id: ID!) { node(id: $id) { ... on Reservation { ${FULL} } } }`, {
        variables: { id },
        token: world.admin.token,
      });
      expect(response.body.errors).toBeUndefined();
      return response.body.data.node;
    };
    expect(cancelled.reservation).toEqual(await read(held.reservation.id));
    const promoted = await read(waiting.reservation.id);
    expect(promoted.status).toBe('CONFIRMED'); // the freed seat went to the waitlist
    expect({ ...waiting.reservation, status: 'CONFIRMED', waitlistPosition: null, history: promoted.history }).toEqual(promoted);
  });
});

describe('reserveSeat', () => {
  it('gives a signed member reserving for itself a confirmed seat', async () => {
    const [ada, where] = [await member(true), await group(3)];
    const result = await payloadOf(RESERVE, { groupId: where.globalId }, ada.token);
    expect(result).toEqual({
      reservation: reservationShape(ada, where, { history: [event(null, 'CONFIRMED', 'MEMBER')] }),
      userErrors: [],
    });
    expect(await seats(where)).toEqual({ seatsTaken: 1, seatsHeld: 0, seatsAvailable: 2, waitlistLength: 0 });
  });

  it('holds a seat until expiresAt when the referring partner reserves for an unsigned member', async () => {
    const [bo, where] = [await member(false), await group(3)];
    const result = await payloadOf(RESERVE, { groupId: where.globalId, memberId: bo.globalId }, world.partners.referring.token);
    expect(result).toEqual({
      reservation: reservationShape(bo, where, {
        status: 'HELD',
        expiresAt: instantNear(Date.now() + 30 * 60_000),
        history: [event(null, 'HELD', 'PARTNER')],
      }),
      userErrors: [],
    });
    expect(await seats(where)).toEqual({ seatsTaken: 1, seatsHeld: 1, seatsAvailable: 2, waitlistLength: 0 });
  });

  it('lets an admin reserve for any member, and puts members on the waitlist once the group is full', async () => {
    const [cy, dee, where] = [await member(true), await member(false, 'other'), await group(1)];
    const first = await payloadOf(RESERVE, { groupId: where.globalId, memberId: cy.globalId }, world.admin.token);
    expect(first).toEqual({ reservation: reservationShape(cy, where, { history: [event(null, 'CONFIRMED', 'ADMIN')] }), userErrors: [] });
    const second = await payloadOf(RESERVE, { groupId: where.globalId, memberId: dee.globalId }, world.admin.token);
    expect(second).toEqual({
      reservation: reservationShape(dee, where, {
        status: 'WAITLISTED',
        waitlistPosition: 1,
        history: [event(null, 'WAITLISTED', 'ADMIN')],
      }),
      userErrors: [],
    });
    expect(await seats(where)).toEqual({ seatsTaken: 1, seatsHeld: 0, seatsAvailable: 0, waitlistLength: 1 });
  });

  it("answers another partner's member with NOT_FOUND, exactly as for a member that does not exist", async () => {
    const [theirs, where] = [await member(true), await group(3)];
    const before = await snapshot();
    const nobody = toGlobalId('Member', newId());
    const otherPartner = await mutate(RESERVE, { groupId: where.globalId, memberId: theirs.globalId }, world.partners.other.token);
    const missing = await mutate(RESERVE, { groupId: where.globalId, memberId: nobody }, world.partners.other.token);
    expect(otherPartner).toEqual({
      data: { reserveSeat: { reservation: null, userErrors: [userError('NOT_FOUND', ['input', 'memberId'])] } },
    });
    expect(otherPartner).toEqual(missing);
    // A member acting for someone else is answered the same way.
    const otherMember = await mutate(RESERVE, { groupId: where.globalId, memberId: theirs.globalId }, world.members.another.token);
    expect(otherMember).toEqual(missing);
    expect(await snapshot()).toEqual(before);
  });

  it('refuses therapists with FORBIDDEN and anonymous callers with UNAUTHENTICATED', async () => {
    const [who, where] = [await member(true), await group(3)];
    const input = { groupId: where.globalId, memberId: who.globalId };
    expect(await mutate(RESERVE, input, world.therapists.lead.token)).toEqual(topLevel('reserveSeat', 'FORBIDDEN'));
    expect(await mutate(RESERVE, input)).toEqual(topLevel('reserveSeat', 'UNAUTHENTICATED'));
    expect(await seats(where)).toEqual({ seatsTaken: 0, seatsHeld: 0, seatsAvailable: 3, waitlistLength: 0 });
  });

  it('answers a draft group with NOT_FOUND for everyone but admins, who get GROUP_NOT_OPEN', async () => {
    const [who, draft] = [await member(true), await group(3)];
    await app.db.query(`update therapy_group set status = 'DRAFT' where id = $1`, [draft.id]);
    const missing = await mutate(
      RESERVE,
      { groupId: toGlobalId('Group', newId()), memberId: who.globalId },
      world.partners.referring.token,
    );
    expect(missing).toEqual({ data: { reserveSeat: { reservation: null, userErrors: [userError('NOT_FOUND', ['input', 'groupId'])] } } });
    expect(await mutate(RESERVE, { groupId: draft.globalId, memberId: who.globalId }, world.partners.referring.token)).toEqual(missing);
    expect(await mutate(RESERVE, { groupId: draft.globalId }, who.token)).toEqual(missing);
    expect(await mutate(RESERVE, { groupId: draft.globalId, memberId: who.globalId }, world.admin.token)).toEqual({
      data: { reserveSeat: { reservation: null, userErrors: [userError('GROUP_NOT_OPEN', ['input', 'groupId'])] } },
    });
  });

  it('refuses cancelled and completed groups with GROUP_NOT_OPEN', async () => {
    const [who, cancelled, completed] = [await member(true), await group(3), await group(3)];
    const cancel = await app.gql(`mutation($id: ID!) { cancelGroup(input: { id: $id, reason: "No therapist" }) { userErrors { code } } }`, {
      variables: { id: cancelled.globalId },
      token: world.admin.token,
    });
    expect(cancel.body).toEqual({ data: { cancelGroup: { userErrors: [] } } });
    await app.db.query(`update therapy_group set status = 'COMPLETED' where id = $1`, [completed.id]);
    for (const where of [cancelled, completed]) {
      for (const token of [world.partners.referring.token, world.admin.token]) {
        expect(await payloadOf(RESERVE, { groupId: where.globalId, memberId: who.globalId }, token)).toEqual({
          reservation: null,
          userErrors: [userError('GROUP_NOT_OPEN', ['input', 'groupId'])],
        });
      }
    }
  });

  it('refuses a group whose enrolment deadline has passed with ENROLMENT_CLOSED', async () => {
    const [who, where] = [await member(true), await group(3)];
    await app.db.query(`update therapy_group set enrolment_deadline = now() - interval '1 minute' where id = $1`, [where.id]);
    expect(await payloadOf(RESERVE, { groupId: where.globalId, memberId: who.globalId }, world.partners.referring.token)).toEqual({
      reservation: null,
      userErrors: [userError('ENROLMENT_CLOSED', ['input', 'groupId'])],
    });
    expect(await seats(where)).toEqual({ seatsTaken: 0, seatsHeld: 0, seatsAvailable: 3, waitlistLength: 0 });
  });

  it('refuses a second place in the same group with ALREADY_RESERVED, for a seat and for a waitlist place', async () => {
    const [seated, waiting, where] = [await member(true), await member(true), await group(1)];
    await reserve(seated, where);
    await reserve(waiting, where);
    const before = await snapshot();
    for (const who of [seated, waiting]) {
      for (const token of [world.partners.referring.token, who.token, world.admin.token]) {
        expect(await payloadOf(RESERVE, { groupId: where.globalId, memberId: who.globalId }, token)).toEqual({
          reservation: null,
          userErrors: [userError('ALREADY_RESERVED', ['input', 'groupId'])],
        });
      }
    }
    expect(await snapshot()).toEqual(before);
  });
});

describe('cancelReservation', () => {
  it('lets the member cancel its own reservation, recording who ended it and that it was not late', async () => {
    const [who, where] = [await member(true), await group(2)];
    const { id } = await reserve(who, where);
    expect(await payloadOf(CANCEL, { reservationId: id }, who.token)).toEqual({
      reservation: reservationShape(who, where, {
        id,
        status: 'CANCELLED',
        endedAt: recently(),
        endedBy: 'MEMBER',
        cancelledLate: false,
        history: [event(null, 'CONFIRMED', 'PARTNER'), event('CONFIRMED', 'CANCELLED', 'MEMBER')],
      }),
      userErrors: [],
    });
    expect(await seats(where)).toEqual({ seatsTaken: 0, seatsHeld: 0, seatsAvailable: 2, waitlistLength: 0 });
  });

  it('lets the referring partner and an admin cancel, each recorded as the one who ended it', async () => {
    const where = await group(3);
    for (const [token, endedBy] of [
      [world.partners.referring.token, 'PARTNER'],
      [world.admin.token, 'ADMIN'],
    ] as const) {
      const who = await member(false);
      const { id } = await reserve(who, where);
      expect(await payloadOf(CANCEL, { reservationId: id }, token)).toEqual({
        reservation: reservationShape(who, where, {
          id,
          status: 'CANCELLED',
          endedAt: recently(),
          endedBy,
          cancelledLate: false,
          history: [event(null, 'HELD', 'PARTNER'), event('HELD', 'CANCELLED', endedBy)],
        }),
        userErrors: [],
      });
    }
  });

  it("marks a cancellation inside the group's cancellation window before the next session as late", async () => {
    const [who, where] = [await member(true), await group(2)];
    const { id } = await reserve(who, where);
    // The default window is 24 hours; the next session now starts in two.
    await app.db.query(
      `update group_session set starts_at = now() + interval '2 hours', ends_at = now() + interval '3 hours' where group_id = $1 and position = 1`,
      [where.id],
    );
    const result = await payloadOf(CANCEL, { reservationId: id }, world.partners.referring.token);
    expect(result.reservation).toEqual(
      reservationShape(who, where, {
        id,
        status: 'CANCELLED',
        endedAt: recently(),
        endedBy: 'PARTNER',
        cancelledLate: true,
        history: [event(null, 'CONFIRMED', 'PARTNER'), event('CONFIRMED', 'CANCELLED', 'PARTNER')],
      }),
    );
  });

  it('answers another partner or member with NOT_FOUND, as for a reservation that does not exist, and refuses therapists', async () => {
    const [who, where] = [await member(true), await group(2)];
    const { id } = await reserve(who, where);
    const before = await snapshot();
    const missing = await mutate(CANCEL, { reservationId: toGlobalId('Reservation', newId()) }, world.partners.other.token);
    expect(missing).toEqual({
      data: { cancelReservation: { reservation: null, userErrors: [userError('NOT_FOUND', ['input', 'reservationId'])] } },
    });
    expect(await mutate(CANCEL, { reservationId: id }, world.partners.other.token)).toEqual(missing);
    expect(await mutate(CANCEL, { reservationId: id }, world.members.another.token)).toEqual(missing);
    expect(await mutate(CANCEL, { reservationId: id }, world.therapists.lead.token)).toEqual(topLevel('cancelReservation', 'FORBIDDEN'));
    expect(await mutate(CANCEL, { reservationId: id })).toEqual(topLevel('cancelReservation', 'UNAUTHENTICATED'));
    expect(await snapshot()).toEqual(before);
  });

  it('refuses to cancel a reservation that has already ended with RESERVATION_NOT_ACTIVE', async () => {
    const [who, where] = [await member(true), await group(2)];
    const { id } = await reserve(who, where);
    await payloadOf(CANCEL, { reservationId: id }, who.token);
    expect(await payloadOf(CANCEL, { reservationId: id }, who.token)).toEqual({
      reservation: null,
      userErrors: [userError('RESERVATION_NOT_ACTIVE', ['input', 'reservationId'])],
    });
  });

  it('gives the freed seat to the first waitlisted member at once', async () => {
    const [seated, first, second, where] = [await member(true), await member(true), await member(false), await group(1)];
    const seat = await reserve(seated, where);
    const waiting = [await reserve(first, where), await reserve(second, where)];
    await payloadOf(CANCEL, { reservationId: seat.id }, seated.token);
    expect(await read(...waiting.map((r) => r.id))).toEqual([
      reservationShape(first, where, { history: [event(null, 'WAITLISTED', 'PARTNER'), promoted('CONFIRMED')] }),
      reservationShape(second, where, { status: 'WAITLISTED', waitlistPosition: 1, history: [event(null, 'WAITLISTED', 'PARTNER')] }),
    ]);
    expect(await seats(where)).toEqual({ seatsTaken: 1, seatsHeld: 0, seatsAvailable: 0, waitlistLength: 1 });
  });
});

describe('removeReservation', () => {
  const REASON = 'Repeatedly shared another member’s story outside the group';

  it('lets an admin remove a reservation with a reason', async () => {
    const [who, where] = [await member(true), await group(2)];
    const { id } = await reserve(who, where);
    expect(await payloadOf(REMOVE, { reservationId: id, reason: REASON }, world.admin.token)).toEqual({
      reservation: reservationShape(who, where, {
        id,
        status: 'REMOVED',
        endedAt: recently(),
        endedBy: 'ADMIN',
        removalReason: REASON,
        history: [event(null, 'CONFIRMED', 'PARTNER'), event('CONFIRMED', 'REMOVED', 'ADMIN', REASON)],
      }),
      userErrors: [],
    });
  });

  it("lets the group's lead therapist and co-therapist remove, recorded as THERAPIST", async () => {
    const where = await group(3);
    for (const therapist of [world.therapists.lead, world.therapists.co]) {
      const who = await member(true);
      const { id } = await reserve(who, where);
      expect(await payloadOf(REMOVE, { reservationId: id, reason: 'Moved away' }, therapist.token)).toEqual({
        reservation: reservationShape(who, where, {
          id,
          status: 'REMOVED',
          endedAt: recently(),
          endedBy: 'THERAPIST',
          removalReason: 'Moved away',
          history: [event(null, 'CONFIRMED', 'PARTNER'), event('CONFIRMED', 'REMOVED', 'THERAPIST', 'Moved away')],
        }),
        userErrors: [],
      });
    }
  });

  it("answers another group's therapist with NOT_FOUND and refuses partners and members", async () => {
    const [who, where] = [await member(true), await group(2)];
    const { id } = await reserve(who, where);
    const before = await snapshot();
    const input = { reservationId: id, reason: REASON };
    const missing = await mutate(REMOVE, { ...input, reservationId: toGlobalId('Reservation', newId()) }, world.therapists.other.token);
    expect(missing).toEqual({
      data: { removeReservation: { reservation: null, userErrors: [userError('NOT_FOUND', ['input', 'reservationId'])] } },
    });
    expect(await mutate(REMOVE, input, world.therapists.other.token)).toEqual(missing);
    for (const token of [world.partners.referring.token, who.token]) {
      expect(await mutate(REMOVE, input, token)).toEqual(topLevel('removeReservation', 'FORBIDDEN'));
    }
    expect(await snapshot()).toEqual(before);
  });

  it("gives a removed member's seat to the waitlist without passing the removal reason on", async () => {
    const [removed, next, where] = [await member(true), await member(true), await group(1)];
    const seat = await reserve(removed, where);
    const waiting = await reserve(next, where);
    await payloadOf(REMOVE, { reservationId: seat.id, reason: REASON }, world.therapists.lead.token);
    expect(await read(waiting.id)).toEqual([
      reservationShape(next, where, { history: [event(null, 'WAITLISTED', 'PARTNER'), promoted('CONFIRMED', REASON)] }),
    ]);
  });
});

describe('moveReservation', () => {
  const MOVED = 'Moved by an admin to another group.';

  it('moves a reservation atomically: a seat in the new group, the old one MOVED (linked to the new one) and its seat given to the waitlist', async () => {
    const [mover, waiting, from, to] = [await member(true), await member(true), await group(1), await group(2)];
    const old = await reserve(mover, from);
    const queued = await reserve(waiting, from);
    const result = await payloadOf(MOVE, { reservationId: old.id, toGroupId: to.globalId }, world.admin.token);
    expect(result).toEqual({
      reservation: reservationShape(mover, to, { history: [event(null, 'CONFIRMED', 'ADMIN', 'moved to another group')] }),
      userErrors: [],
    });
    expect(await read(old.id, queued.id)).toEqual([
      reservationShape(mover, from, {
        id: old.id,
        status: 'MOVED',
        endedAt: recently(),
        endedBy: 'ADMIN',
        removalReason: MOVED,
        history: [event(null, 'CONFIRMED', 'PARTNER'), event('CONFIRMED', 'MOVED', 'ADMIN', 'moved to another group')],
      }),
      reservationShape(waiting, from, { history: [event(null, 'WAITLISTED', 'PARTNER'), promoted('CONFIRMED')] }),
    ]);
    const link = await app.gql(`query($id: ID!) { node(id: $id) { ... on Reservation { movedTo { id status } } } }`, {
      token: world.admin.token,
      variables: { id: old.id },
    });
    expect(link.body.data.node.movedTo).toEqual({ id: result.reservation.id, status: 'CONFIRMED' });
    // The member who waited was promoted (promotedAt) and keeps its acceptedAt, later than the mover's.
    const times = await app.gql(`query($ids: [ID!]!) { nodes(ids: $ids) { ... on Reservation { acceptedAt promotedAt } } }`, {
      token: world.admin.token,
      variables: { ids: [old.id, queued.id] },
    });
    const [moverTimes, queuedTimes] = times.body.data.nodes as { acceptedAt: string; promotedAt: string | null }[];
    expect(moverTimes!.promotedAt).toBeNull();
    expect(queuedTimes!.promotedAt).toEqual(expect.any(String));
    expect(Date.parse(queuedTimes!.acceptedAt)).toBeGreaterThan(Date.parse(moverTimes!.acceptedAt));
    expect(Date.parse(queuedTimes!.promotedAt!)).toBeGreaterThan(Date.parse(queuedTimes!.acceptedAt));
    expect(await seats(from)).toEqual({ seatsTaken: 1, seatsHeld: 0, seatsAvailable: 0, waitlistLength: 0 });
    expect(await seats(to)).toEqual({ seatsTaken: 1, seatsHeld: 0, seatsAvailable: 1, waitlistLength: 0 });
  });

  it("puts the member at the end of the new group's waitlist when that group is full", async () => {
    const [mover, settled, from, to] = [await member(false), await member(true), await group(2), await group(1)];
    const old = await reserve(mover, from);
    await reserve(settled, to);
    const result = await payloadOf(MOVE, { reservationId: old.id, toGroupId: to.globalId }, world.admin.token);
    expect(result).toEqual({
      reservation: reservationShape(mover, to, {
        status: 'WAITLISTED',
        waitlistPosition: 1,
        history: [event(null, 'WAITLISTED', 'ADMIN', 'moved to another group')],
      }),
      userErrors: [],
    });
    expect(await seats(from)).toEqual({ seatsTaken: 0, seatsHeld: 0, seatsAvailable: 2, waitlistLength: 0 });
  });

  it('refuses a move into a group where the member already has a place with ALREADY_RESERVED, changing nothing', async () => {
    const [mover, from, to] = [await member(true), await group(2), await group(2)];
    const old = await reserve(mover, from);
    await reserve(mover, to);
    const before = await snapshot();
    expect(await payloadOf(MOVE, { reservationId: old.id, toGroupId: to.globalId }, world.admin.token)).toEqual({
      reservation: null,
      userErrors: [userError('ALREADY_RESERVED', ['input', 'toGroupId'])],
    });
    expect(await snapshot()).toEqual(before);
    expect(await seats(from)).toEqual({ seatsTaken: 1, seatsHeld: 0, seatsAvailable: 1, waitlistLength: 0 });
  });

  it('refuses to move a reservation that has ended, or into its own group, changing nothing', async () => {
    const [mover, from, to] = [await member(true), await group(2), await group(2)];
    const old = await reserve(mover, from);
    expect(await payloadOf(MOVE, { reservationId: old.id, toGroupId: from.globalId }, world.admin.token)).toEqual({
      reservation: null,
      userErrors: [userError('INVALID_STATE', ['input', 'toGroupId'])],
    });
    await payloadOf(CANCEL, { reservationId: old.id }, mover.token);
    const before = await snapshot();
    expect(await payloadOf(MOVE, { reservationId: old.id, toGroupId: to.globalId }, world.admin.token)).toEqual({
      reservation: null,
      userErrors: [userError('RESERVATION_NOT_ACTIVE', ['input', 'reservationId'])],
    });
    expect(await snapshot()).toEqual(before);
    expect(await seats(to)).toEqual({ seatsTaken: 0, seatsHeld: 0, seatsAvailable: 2, waitlistLength: 0 });
  });

  it('is for admins only', async () => {
    const [mover, from, to] = [await member(true), await group(2), await group(2)];
    const old = await reserve(mover, from);
    const input = { reservationId: old.id, toGroupId: to.globalId };
    for (const token of [world.partners.referring.token, mover.token, world.therapists.lead.token]) {
      expect(await mutate(MOVE, input, token)).toEqual(topLevel('moveReservation', 'FORBIDDEN'));
    }
    expect(await mutate(MOVE, input)).toEqual(topLevel('moveReservation', 'UNAUTHENTICATED'));
  });
});

describe('group changes', () => {
  it('gives seats added by a capacity increase to the waitlist in order, held for unsigned members', async () => {
    const where = await group(1);
    const [seated, signed, unsigned, last] = [await member(true), await member(true), await member(false), await member(true)];
    await reserve(seated, where);
    const waiting = [await reserve(signed, where), await reserve(unsigned, where), await reserve(last, where)];
    const update = await app.gql(
      `mutation($id: ID!) { updateGroup(input: { id: $id, capacity: 3 }) { group { capacity seatsTaken seatsHeld seatsAvailable waitlistLength } userErrors { code } } }`,
      { variables: { id: where.globalId }, token: world.admin.token },
    );
    expect(update.body).toEqual({
      data: { updateGroup: { group: { capacity: 3, seatsTaken: 3, seatsHeld: 1, seatsAvailable: 0, waitlistLength: 1 }, userErrors: [] } },
    });
    expect(await read(...waiting.map((r) => r.id))).toEqual([
      reservationShape(signed, where, { history: [event(null, 'WAITLISTED', 'PARTNER'), promoted('CONFIRMED')] }),
      reservationShape(unsigned, where, {
        status: 'HELD',
        expiresAt: instantNear(Date.now() + 30 * 60_000),
        history: [event(null, 'WAITLISTED', 'PARTNER'), promoted('HELD')],
      }),
      reservationShape(last, where, { status: 'WAITLISTED', waitlistPosition: 1, history: [event(null, 'WAITLISTED', 'PARTNER')] }),
    ]);
  });

  it('cancels every active reservation when the group is cancelled', async () => {
    const where = await group(2);
    const [signed, unsigned, waiting] = [await member(true), await member(false), await member(true)];
    const ids = [(await reserve(signed, where)).id, (await reserve(unsigned, where)).id, (await reserve(waiting, where)).id];
    const cancel = await app.gql(
      `mutation($id: ID!) { cancelGroup(input: { id: $id, reason: "Therapist unavailable" }) { group { status seatsTaken seatsHeld waitlistLength } userErrors { code } } }`,
      { variables: { id: where.globalId }, token: world.admin.token },
    );
    expect(cancel.body).toEqual({
      data: { cancelGroup: { group: { status: 'CANCELLED', seatsTaken: 0, seatsHeld: 0, waitlistLength: 0 }, userErrors: [] } },
    });
    const ended = (who: Member, from: Status) =>
      reservationShape(who, where, {
        status: 'CANCELLED',
        endedAt: recently(),
        endedBy: 'SYSTEM',
        cancelledLate: false,
        history: [event(null, from, 'PARTNER'), event(from, 'CANCELLED', 'ADMIN', 'group cancelled: Therapist unavailable')],
      });
    expect(await read(...ids)).toEqual([ended(signed, 'CONFIRMED'), ended(unsigned, 'HELD'), ended(waiting, 'WAITLISTED')]);
  });
});

describe('several seat mutations in one document', () => {
  it('answers each with the state it left, not what the request had read before it', async () => {
    const [first, second, where] = [await member(true), await member(true), await group(2)];
    const replay = { groupId: where.globalId, memberId: first.globalId, idempotencyKey: `batch-${first.id}` };
    const earlier = (await payloadOf(RESERVE, replay, world.partners.referring.token)).reservation;
    // The replay loads the first reservation and the group's seats before the next two change them.
    const response = await app.gql(
      `mutation($replay: ReserveSeatInput!, $next: ReserveSeatInput!, $cancel: CancelReservationInput!) {
        replay: reserveSeat(input: $replay) { reservation { id status group { seatsTaken } } }
        next: reserveSeat(input: $next) { reservation { status group { seatsTaken } } }
        cancel: cancelReservation(input: $cancel) { reservation { id status group { seatsTaken } } }
      }`,
      {
        variables: { replay, next: { groupId: where.globalId, memberId: second.globalId }, cancel: { reservationId: earlier.id } },
        token: world.partners.referring.token,
      },
    );
    expect(response.body).toEqual({
      data: {
        replay: { reservation: { id: earlier.id, status: 'CONFIRMED', group: { seatsTaken: 1 } } },
        next: { reservation: { status: 'CONFIRMED', group: { seatsTaken: 2 } } },
        cancel: { reservation: { id: earlier.id, status: 'CANCELLED', group: { seatsTaken: 1 } } },
      },
    });
  });
});

describe('status history', () => {
  it('records every status change of a reservation, with who made it and why', async () => {
    const [seated, who, where] = [await member(true), await member(false), await group(1)];
    const seat = await reserve(seated, where);
    const { id } = await reserve(who, where);
    await payloadOf(CANCEL, { reservationId: seat.id }, world.admin.token);
    const signed = await app.gql(`mutation($input: SignAgreementInput!) { signAgreement(input: $input) { userErrors { code } } }`, {
      variables: { input: { agreementId: world.agreement.globalId, memberId: who.globalId, typedName: who.displayName } },
      token: who.token,
    });
    expect(signed.body).toEqual({ data: { signAgreement: { userErrors: [] } } });
    await payloadOf(REMOVE, { reservationId: id, reason: 'Asked to leave' }, world.therapists.co.token);
    expect(await read(id)).toEqual([
      reservationShape({ ...who, signed: true }, where, {
        status: 'REMOVED',
        endedAt: recently(),
        endedBy: 'THERAPIST',
        removalReason: 'Asked to leave',
        history: [
          event(null, 'WAITLISTED', 'PARTNER'),
          promoted('HELD'),
          event('HELD', 'CONFIRMED', 'MEMBER'),
          event('CONFIRMED', 'REMOVED', 'THERAPIST', 'Asked to leave'),
        ],
      }),
    ]);
  });
});

describe('needsSignature', () => {
  const publish = async (requiresResign: boolean) => {
    const response = await app.gql(
      `mutation($input: PublishAgreementVersionInput!) { publishAgreementVersion(input: $input) { userErrors { code } } }`,
      {
        variables: {
          input: { agreementId: world.agreement.globalId, bodyMarkdown: `Requires signing again: ${requiresResign}.`, requiresResign },
        },
        token: world.admin.token,
      },
    );
    expect(response.body).toEqual({ data: { publishAgreementVersion: { userErrors: [] } } });
  };

  it('asks confirmed members to sign again after a version that requires it, until they do', async () => {
    const [who, where] = [await member(true), await group(2)];
    const { id } = await reserve(who, where);
    const history = [event(null, 'CONFIRMED', 'PARTNER')];
    await publish(false);
    expect(await read(id)).toEqual([reservationShape(who, where, { id, needsSignature: false, history })]);
    await publish(true);
    expect(await read(id)).toEqual([reservationShape(who, where, { id, needsSignature: true, history })]);
    const signed = await app.gql(`mutation($input: SignAgreementInput!) { signAgreement(input: $input) { userErrors { code } } }`, {
      variables: { input: { agreementId: world.agreement.globalId, typedName: who.displayName } },
      token: who.token,
    });
    expect(signed.body).toEqual({ data: { signAgreement: { userErrors: [] } } });
    expect(await read(id)).toEqual([reservationShape(who, where, { id, needsSignature: false, history })]);
  });
});

describe('waitlist', () => {
  const WAITLIST = `query Waitlist($id: ID!) {
    group(id: $id) { id waitlist(first: 10) { totalCount nodes { id status waitlistPosition member { id displayName } } } }
  }`;
  let where: Group;
  let waiting: { reservation: { id: string }; who: Member }[];

  beforeAll(async () => {
    where = await group(1);
    await reserve(await member(true), where);
    waiting = [];
    for (const signed of [false, true, false]) {
      const who = await member(signed);
      waiting.push({ who, reservation: await reserve(who, where) });
    }
  });

  it("shows admins and the group's therapists the waitlist in order, members by display name", async () => {
    const nodes = waiting.map(({ who, reservation: r }, i) => ({
      id: r.id,
      status: 'WAITLISTED',
      waitlistPosition: i + 1,
      member: { id: who.globalId, displayName: who.displayName },
    }));
    for (const token of [world.admin.token, world.therapists.lead.token, world.therapists.co.token]) {
      const response = await app.gql(WAITLIST, { variables: { id: where.globalId }, token });
      expect(response.body).toEqual({ data: { group: { id: where.globalId, waitlist: { totalCount: 3, nodes } } } });
    }
  });

  it('refuses the waitlist to partners, members and other therapists, and asks anonymous callers to sign in', async () => {
    const refused = (code: string) => ({
      data: { group: { id: where.globalId, waitlist: null } },
      errors: [{ message: expect.any(String), locations: expect.any(Array), path: ['group', 'waitlist'], extensions: { code } }],
    });
    const tokens = [world.partners.referring.token, world.partners.other.token, waiting[0]!.who.token, world.therapists.other.token];
    for (const token of tokens) {
      const response = await app.gql(WAITLIST, { variables: { id: where.globalId }, token });
      expect(response.body).toEqual(refused('FORBIDDEN'));
    }
    expect((await app.gql(WAITLIST, { variables: { id: where.globalId } })).body).toEqual(refused('UNAUTHENTICATED'));
  });

  it('shows members their own waitlist position', async () => {
    for (const [i, { who, reservation: r }] of waiting.entries()) {
      const response = await app.gql(`query { viewer { member { reservations { id status waitlistPosition } } } }`, { token: who.token });
      expect(response.body).toEqual({
        data: { viewer: { member: { reservations: [{ id: r.id, status: 'WAITLISTED', waitlistPosition: i + 1 }] } } },
      });
    }
  });
});

describe('prepared statements across a migration', () => {
  // Kindred prepares its plain-SQL statements once per connection. A migration that adds a column
  // while older processes still run (a rolling deploy) must not break their seat statements: a
  // prepared statement whose result shape changed fails for good on that connection.
  async function reserveAndCancel(round: number) {
    const token = world.partners.referring.token;
    const who = await addMember(app, world, { displayName: `Round ${round}` });
    const where = await addGroup(app, world, { title: `Round ${round}`, capacity: 2 });
    const reserved = await mutate(RESERVE, { groupId: where.globalId, memberId: who.globalId }, token);
    expect(reserved).toEqual({ data: { reserveSeat: { reservation: expect.objectContaining({ status: 'HELD' }), userErrors: [] } } });
    const id = (reserved.data as any).reserveSeat.reservation.id;
    const cancelled = await mutate(CANCEL, { reservationId: id }, token);
    expect(cancelled).toEqual({
      data: { cancelReservation: { reservation: expect.objectContaining({ id, status: 'CANCELLED' }), userErrors: [] } },
    });
  }

  it('keeps reserving and cancelling after a column is added to reservation under it', async () => {
    // Enough rounds that every pooled connection has prepared the seat statements.
    for (let round = 0; round < 8; round++) await reserveAndCancel(round);
    await app.db.query('alter table reservation add column added_by_a_later_migration text');
    try {
      for (let round = 8; round < 16; round++) await reserveAndCancel(round);
    } finally {
      await app.db.query('alter table reservation drop column added_by_a_later_migration');
    }
  });
});
