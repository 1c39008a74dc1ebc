import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { advanceGroupLifecycles } from '../../src/modules/groups/index.js';
import type { TestApp } from '../support/test-app.js';
import { startWorld, type World } from '../support/world.js';

let app: TestApp;
let world: World;

async function addReservation(groupId: string, name: string, status: 'HELD' | 'WAITLISTED' | 'CONFIRMED') {
  await app.db.query(
    `with m as (insert into member (id, display_name, time_zone, created_at) values (gen_random_uuid(), $2, 'UTC', now()) returning id)
     insert into reservation (id, group_id, member_id, status, expires_at, waitlist_seq, created_at, updated_at)
     select gen_random_uuid(), $1, m.id, $3::reservation_status,
            case when $3 = 'HELD' then now() + interval '1 hour' end,
            case when $3 = 'WAITLISTED' then nextval('reservation_waitlist_seq') end, now(), now() from m`,
    [groupId, name, status],
  );
}

const statuses = (groupId: string) =>
  app.db.query<{ display_name: string; status: string; ended_by: string | null }>(
    `select m.display_name, r.status, r.ended_by from reservation r join member m on m.id = r.member_id
      where r.group_id = $1 order by m.display_name`,
    [groupId],
  );

/** Shifts a group's sessions so that the first started `hoursAgo` hours ago (sessions an hour long, a week apart). */
const startedAgo = (groupId: string, hoursAgo: number) =>
  app.db.query(
    `update group_session set starts_at = now() - make_interval(hours => $2) + (position - 1) * interval '7 days',
                              ends_at = now() - make_interval(hours => $2) + (position - 1) * interval '7 days' + interval '1 hour'
      where group_id = $1`,
    [groupId, hoursAgo],
  );

beforeAll(async () => ({ app, world } = await startWorld()));
afterAll(() => app.close());

describe('group lifecycle', () => {
  it('starts a closed cohort: IN_PROGRESS, waitlist cancelled, unsigned holds expired, seats kept', async () => {
    await app.db.query(`update therapy_group set capacity = 2 where id = $1`, [world.groups.a.id]);
    await addReservation(world.groups.a.id, 'Holding', 'HELD');
    await addReservation(world.groups.a.id, 'Waiting', 'WAITLISTED');
    await startedAgo(world.groups.a.id, 2);

    expect(await advanceGroupLifecycles(app.orm)).toBe(1);
    const [group] = await app.db.query('select status, seats_taken from therapy_group where id = $1', [world.groups.a.id]);
    expect(group).toEqual({ status: 'IN_PROGRESS', seats_taken: 1 });
    expect(await statuses(world.groups.a.id)).toEqual([
      { display_name: 'Holding', status: 'EXPIRED', ended_by: 'SYSTEM' },
      { display_name: 'Rowan', status: 'CONFIRMED', ended_by: null },
      { display_name: 'Waiting', status: 'CANCELLED', ended_by: 'SYSTEM' },
    ]);
    const sessions = await app.db.query('select position, status from group_session where group_id = $1 order by position', [
      world.groups.a.id,
    ]);
    expect(sessions).toEqual([
      { position: 1, status: 'COMPLETED' },
      { position: 2, status: 'SCHEDULED' },
      { position: 3, status: 'SCHEDULED' },
    ]);
    const history = await app.db.query(
      `select e.from_status, e.to_status, e.actor, e.reason from reservation_event e join reservation r on r.id = e.reservation_id
        join member m on m.id = r.member_id where m.display_name = 'Waiting' order by e.id`,
    );
    expect(history).toEqual([
      { from_status: null, to_status: 'WAITLISTED', actor: 'SYSTEM', reason: null },
      { from_status: 'WAITLISTED', to_status: 'CANCELLED', actor: 'SYSTEM', reason: 'group started' },
    ]);
  });

  it('keeps a rolling group taking reservations once it has started, and completes it after its last session', async () => {
    await app.db.query(`update therapy_group set type = 'OPEN' where id = $1`, [world.groups.b.id]);
    await startedAgo(world.groups.b.id, 2);
    await advanceGroupLifecycles(app.orm);
    const reserve = await app.gql(
      `mutation { reserveSeat(input: { groupId: "${world.groups.b.globalId}" }) { reservation { status } userErrors { code } } }`,
      { token: world.members.subject.token },
    );
    expect(reserve.body).toEqual({ data: { reserveSeat: { reservation: { status: 'CONFIRMED' }, userErrors: [] } } });

    await addReservation(world.groups.b.id, 'Latecomer', 'WAITLISTED');
    await startedAgo(world.groups.b.id, 24 * 21);
    expect(await advanceGroupLifecycles(app.orm)).toBe(1);
    const [group] = await app.db.query('select status from therapy_group where id = $1', [world.groups.b.id]);
    expect(group).toEqual({ status: 'COMPLETED' });
    expect((await statuses(world.groups.b.id)).find((r) => r.display_name === 'Latecomer')).toEqual({
      display_name: 'Latecomer',
      status: 'CANCELLED',
      ended_by: 'SYSTEM',
    });
    expect(await advanceGroupLifecycles(app.orm)).toBe(0);
  });
});
