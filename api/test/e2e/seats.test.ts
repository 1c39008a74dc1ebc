import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toGlobalId } from '../../src/graphql/ids.js';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { buildWorld, type World } from '../support/world.js';

let app: TestApp;
let world: World;

const RESERVE = `mutation Reserve($input: ReserveSeatInput!) {
  reserveSeat(input: $input) { reservation { id status waitlistPosition expiresAt member { displayName } } userErrors { code field } } }`;
const CANCEL = `mutation Cancel($input: CancelReservationInput!) {
  cancelReservation(input: $input) { reservation { id status endedBy cancelledLate } userErrors { code field } } }`;

async function member(name: string, signed: boolean): Promise<string> {
  const [row] = await app.db.query<{ id: string }>(
    `insert into member (id, display_name, time_zone, partner_id, created_at) values (gen_random_uuid(), $1, 'UTC', $2, now()) returning id`,
    [name, world.partners.referring.id],
  );
  if (signed) {
    await app.db.query(
      `insert into signature (id, member_id, agreement_version_id, typed_name, channel, partner_id, signed_at)
       select gen_random_uuid(), $1, v.id, $2, 'PARTNER', $3, now() from agreement_version v where v.agreement_id = $4`,
      [row!.id, name, world.partners.referring.id, world.agreement.id],
    );
  }
  return toGlobalId('Member', row!.id);
}

beforeAll(async () => {
  app = await startTestApp();
  world = await buildWorld(app);
  await app.db.query('update therapy_group set capacity = 2 where id = $1', [world.groups.b.id]);
});
afterAll(() => app.close());

describe('seats', () => {
  it('confirms a signed member, holds an unsigned one, waitlists when full, and promotes on cancel', async () => {
    const partner = world.partners.referring.token;
    const groupId = world.groups.b.globalId; // capacity 2, one seat taken by `another`
    const signed = await member('Signed', true);
    const unsigned = await member('Unsigned', false);
    const late = await member('Late', true);

    const a = await app.gql(RESERVE, { variables: { input: { groupId, memberId: signed } }, token: partner });
    expect(a.body.data.reserveSeat).toMatchObject({ reservation: { status: 'CONFIRMED', waitlistPosition: null }, userErrors: [] });
    const b = await app.gql(RESERVE, { variables: { input: { groupId, memberId: unsigned } }, token: partner });
    expect(b.body.data.reserveSeat).toMatchObject({ reservation: { status: 'WAITLISTED', waitlistPosition: 1 }, userErrors: [] });
    const c = await app.gql(RESERVE, { variables: { input: { groupId, memberId: late } }, token: partner });
    expect(c.body.data.reserveSeat).toMatchObject({ reservation: { status: 'WAITLISTED', waitlistPosition: 2 } });

    const again = await app.gql(RESERVE, { variables: { input: { groupId, memberId: signed } }, token: partner });
    expect(again.body.data.reserveSeat).toEqual({
      reservation: null,
      userErrors: [{ code: 'ALREADY_RESERVED', field: ['input', 'groupId'] }],
    });

    const cancelled = await app.gql(CANCEL, {
      variables: { input: { reservationId: a.body.data.reserveSeat.reservation.id } },
      token: partner,
    });
    expect(cancelled.body.data.cancelReservation).toMatchObject({
      reservation: { status: 'CANCELLED', endedBy: 'PARTNER', cancelledLate: false },
    });

    const [promoted] = await app.db.query<{ status: string; expires_at: Date | null }>(
      `select r.status, r.expires_at from reservation r join member m on m.id = r.member_id where m.display_name = 'Unsigned'`,
    );
    expect(promoted!.status).toBe('HELD');
    expect(promoted!.expires_at).not.toBeNull();
    const [seats] = await app.db.query('select seats_taken, capacity from therapy_group where id = $1', [world.groups.b.id]);
    expect(seats).toEqual({ seats_taken: 2, capacity: 2 });
  });

  it('replays an idempotent reservation and refuses the key with another input', async () => {
    const partner = world.partners.referring.token;
    const who = await member('Idem', true);
    const input = { groupId: world.groups.a.globalId, memberId: who, idempotencyKey: 'key-1' };
    const [first, second] = await Promise.all([
      app.gql(RESERVE, { variables: { input }, token: partner }),
      app.gql(RESERVE, { variables: { input }, token: partner }),
    ]);
    expect(second.body).toEqual(first.body);
    expect(first.body.data.reserveSeat.userErrors).toEqual([]);
    const other = await app.gql(RESERVE, { variables: { input: { ...input, groupId: world.groups.b.globalId } }, token: partner });
    expect(other.body.data.reserveSeat).toEqual({
      reservation: null,
      userErrors: [{ code: 'IDEMPOTENCY_KEY_REUSED', field: ['input', 'idempotencyKey'] }],
    });
  });
});

describe('idempotency retention', () => {
  it('keeps keys for 48 hours, then purges them', async () => {
    const { purgeIdempotencyKeys } = await import('../../src/modules/reservations/idempotency-retention.js');
    await app.db.query(
      `insert into idempotency_key (caller, key, operation, request_hash, result, created_at) values
         ('PARTNER:x', 'old', 'reserveSeat', 'h', '{}', now() - interval '49 hours'),
         ('PARTNER:x', 'recent', 'reserveSeat', 'h', '{}', now() - interval '25 hours')`,
    );
    expect(await purgeIdempotencyKeys(app.orm)).toBe(1);
    expect(await app.db.query(`select key from idempotency_key where caller = 'PARTNER:x'`)).toEqual([{ key: 'recent' }]);
  });
});

describe('late cancellation', () => {
  it('is late only for a seat given up inside the window, never for a waitlist place', async () => {
    const partner = world.partners.referring.token;
    const groupId = world.groups.b.globalId; // full since the first test
    await app.db.query(
      `update group_session set starts_at = now() + interval '2 hours', ends_at = now() + interval '3 hours' where group_id = $1 and position = 1`,
      [world.groups.b.id],
    );
    const waiting = await app.gql(RESERVE, { variables: { input: { groupId, memberId: await member('Waiting', true) } }, token: partner });
    expect(waiting.body.data.reserveSeat.reservation.status).toBe('WAITLISTED');
    const left = await app.gql(CANCEL, {
      variables: { input: { reservationId: waiting.body.data.reserveSeat.reservation.id } },
      token: partner,
    });
    expect(left.body.data.cancelReservation).toEqual({
      reservation: { id: waiting.body.data.reserveSeat.reservation.id, status: 'CANCELLED', endedBy: 'PARTNER', cancelledLate: false },
      userErrors: [],
    });
    const [seated] = await app.db.query<{ id: string }>(
      `select r.id from reservation r where r.group_id = $1 and r.status = 'CONFIRMED' limit 1`,
      [world.groups.b.id],
    );
    const seatGlobalId = toGlobalId('Reservation', seated!.id);
    const late = await app.gql(CANCEL, { variables: { input: { reservationId: seatGlobalId } }, token: world.admin.token });
    expect(late.body.data.cancelReservation).toEqual({
      reservation: { id: seatGlobalId, status: 'CANCELLED', endedBy: 'ADMIN', cancelledLate: true },
      userErrors: [],
    });
  });
});
