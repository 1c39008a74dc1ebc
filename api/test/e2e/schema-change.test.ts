/**
 * Kindred prepares its plain-SQL statements once per connection. A migration that adds a column
 * while older processes still run (a rolling deploy) must not break their seat statements: a
 * prepared statement whose result shape changed fails for good on that connection.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { addGroup, addMember, buildWorld, type World } from '../support/world.js';

let app: TestApp;
let world: World;

beforeAll(async () => {
  app = await startTestApp();
  world = await buildWorld(app);
});
afterAll(() => app.close());

const RESERVE = `mutation Reserve($input: ReserveSeatInput!) {
  reserveSeat(input: $input) { reservation { id status } userErrors { code } } }`;
const CANCEL = `mutation Cancel($input: CancelReservationInput!) {
  cancelReservation(input: $input) { reservation { id status } userErrors { code } } }`;

async function reserveAndCancel(round: number) {
  const token = world.partners.referring.token;
  const member = await addMember(app, world, { displayName: `Round ${round}` });
  const group = await addGroup(app, world, { title: `Round ${round}`, capacity: 2 });
  const reserved = await app.gql(RESERVE, { variables: { input: { groupId: group.globalId, memberId: member.globalId } }, token });
  expect(reserved.body).toEqual({
    data: { reserveSeat: { reservation: { id: expect.any(String), status: 'HELD' }, userErrors: [] } },
  });
  const id = reserved.body.data.reserveSeat.reservation.id;
  const cancelled = await app.gql(CANCEL, { variables: { input: { reservationId: id } }, token });
  expect(cancelled.body).toEqual({ data: { cancelReservation: { reservation: { id, status: 'CANCELLED' }, userErrors: [] } } });
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
