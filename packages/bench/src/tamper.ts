/**
 * The hot group's seat checks must be able to fail: after the scenario, each rule is broken on
 * purpose in the group's final state — inside a transaction that is rolled back — and
 * `acceptanceViolations` must report it. A check that passes a tampered state is a failure of
 * the run, in CI (`bench:smoke`) as in a full run.
 */
import type pg from 'pg';
import { acceptanceViolations, type ExpectedSeats } from './storm.js';

const ACTIVE = `status in ('HELD', 'CONFIRMED')`;

/** Each attack breaks one rule of the group ($1) and must draw a violation mentioning `expect`. */
const ATTACKS: { rule: string; sql: string; expect: RegExp }[] = [
  {
    rule: 'every seated reservation accepted before every waitlisted one',
    sql: `update reservation set accepted_at = (select max(accepted_at) from reservation where group_id = $1 and status = 'WAITLISTED') + interval '1 ms'
           where id = (select id from reservation where group_id = $1 and ${ACTIVE} order by accepted_at limit 1)`,
    expect: /accepted after a waitlisted/,
  },
  {
    rule: 'waitlist positions in acceptance order',
    sql: `with head as (select id, waitlist_seq from reservation where group_id = $1 and status = 'WAITLISTED' order by waitlist_seq limit 2)
          update reservation r set waitlist_seq = (select sum(waitlist_seq) from head) - r.waitlist_seq from head where r.id = head.id`,
    expect: /waitlist positions out of acceptance order/,
  },
  {
    rule: 'promotions in acceptance order',
    sql: `with first as (select id, promoted_at from reservation where group_id = $1 and ${ACTIVE} and promoted_at is not null order by promoted_at limit 2)
          update reservation set promoted_at = (select max(promoted_at) from first) + interval '1 ms'
           where id = (select id from first order by promoted_at limit 1)`,
    expect: /promotions out of acceptance order/,
  },
  {
    rule: 'nobody waits beside a free seat',
    sql: `update reservation set status = 'CANCELLED', ended_at = now(), ended_by = 'SYSTEM', expires_at = null
           where id = (select id from reservation where group_id = $1 and ${ACTIVE} order by accepted_at limit 1)`,
    expect: /waiting beside a free seat/,
  },
];

/** Returns a line for each rule whose check did not notice it broken (none: the checks work). */
export async function checksMissingTampering(db: pg.Pool, groupId: string, expected: ExpectedSeats): Promise<string[]> {
  const missed: string[] = [];
  const client = await db.connect();
  try {
    for (const attack of ATTACKS) {
      await client.query('begin');
      try {
        await client.query(`select set_config('kindred.actor', 'SYSTEM', true)`);
        const { rowCount } = await client.query(attack.sql, [groupId]);
        const violations = await acceptanceViolations(client, groupId, expected);
        if (!rowCount) missed.push(`${attack.rule}: nothing to tamper with`);
        else if (!violations.some((v) => attack.expect.test(v))) missed.push(`${attack.rule}: not noticed when broken`);
      } finally {
        await client.query('rollback');
      }
    }
  } finally {
    client.release();
  }
  return missed;
}
