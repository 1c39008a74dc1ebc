/**
 * Invariants of a seeded database, checked in SQL: what Kindred's seat engine and lifecycle
 * guarantee, and what the benchmark relies on. Each query counts violations; all must be 0.
 */
import pg from 'pg';

const CHECKS: Record<string, string> = {
  'seats_taken differs from HELD + CONFIRMED rows': `
    select count(*) from therapy_group g
     where g.seats_taken <> (select count(*) from reservation r where r.group_id = g.id and r.status in ('HELD', 'CONFIRMED'))`,
  'groups over capacity': `select count(*) from therapy_group where seats_taken > capacity`,
  'groups with a waitlist and a free seat': `
    select count(*) from therapy_group g
     where g.seats_taken < g.capacity and exists (select 1 from reservation r where r.group_id = g.id and r.status = 'WAITLISTED')`,
  'waitlist places out of acceptance order': `
    select count(*) from (
      select row_number() over (partition by group_id order by waitlist_seq) as by_seq,
             row_number() over (partition by group_id order by created_at, id) as by_time
        from reservation where waitlist_seq is not null) w
     where by_seq <> by_time`,
  'waitlist numbers the sequence could hand out again': `
    select count(*) from reservation where waitlist_seq > (select last_value from reservation_waitlist_seq)`,
  'reservation ids out of creation order': `
    select count(*) from (
      select row_number() over (partition by group_id order by id) as by_id,
             row_number() over (partition by group_id order by created_at) as by_time
        from reservation) r
     where by_id <> by_time`,
  'holds ending within two days': `select count(*) from reservation where status = 'HELD' and expires_at < now() + interval '2 days'`,
  'holds of members who have signed': `
    select count(*) from reservation r join therapy_group g on g.id = r.group_id join program p on p.id = g.program_id
     where r.status = 'HELD' and member_has_signed(r.member_id, p.required_agreement_id)`,
  'reservations whose last history row is not their status': `
    select count(*) from reservation r
     where r.status <> (select e.to_status from reservation_event e where e.reservation_id = r.id order by e.id desc limit 1)`,
  'history rows stamped after the seeding day began': `select count(*) from reservation_event where "at" >= date_trunc('day', now() at time zone 'utc') at time zone 'utc'`,
  'OPEN groups whose first session has started': `
    select count(*) from therapy_group g where g.status = 'OPEN' and exists (select 1 from group_session s where s.group_id = g.id and s.starts_at <= now())`,
  'IN_PROGRESS groups without a future session': `
    select count(*) from therapy_group g where g.status = 'IN_PROGRESS' and not exists (select 1 from group_session s where s.group_id = g.id and s.ends_at > now())`,
  'COMPLETED groups with a session still to end': `
    select count(*) from therapy_group g where g.status = 'COMPLETED' and exists (select 1 from group_session s where s.group_id = g.id and s.ends_at > now())`,
  'active reservations in cancelled groups': `
    select count(*) from reservation r join therapy_group g on g.id = r.group_id
     where g.status = 'CANCELLED' and r.status in ('HELD', 'CONFIRMED', 'WAITLISTED')`,
  'waitlist or holds left in COMPLETED groups': `
    select count(*) from reservation r join therapy_group g on g.id = r.group_id
     where g.status = 'COMPLETED' and r.status in ('HELD', 'WAITLISTED')`,
  'attendance without a seat': `
    select count(*) from attendance a join group_session s on s.id = a.session_id
     where not exists (select 1 from reservation r where r.group_id = s.group_id and r.member_id = a.member_id
                        and exists (select 1 from reservation_event e where e.reservation_id = r.id and e.to_status in ('HELD', 'CONFIRMED')))`,
};

/** Runs every check; returns the ones that found violations, with their counts (empty when all hold). */
export async function checkSeededDatabase(databaseUrl: string): Promise<Record<string, number>> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const failures: Record<string, number> = {};
    for (const [name, sql] of Object.entries(CHECKS)) {
      const { rows } = await client.query<{ count: string }>(sql);
      const count = Number(rows[0]!.count);
      if (count > 0) failures[name] = count;
    }
    return failures;
  } finally {
    await client.end();
  }
}
