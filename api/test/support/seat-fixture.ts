/**
 * Seat-engine data arranged in plain SQL (fast for hundreds of members) and the seat invariants
 * of docs/seat-rules.md, checked in SQL after a concurrency scenario. The partner API key is
 * real: stored as the SHA-256 of the secret, exactly as createPartnerApiKey stores it.
 */
import { toGlobalId } from '../../src/graphql/ids.js';
import { API_KEY_PREFIX, newSecret, secretHash } from '../../src/authz/credentials.js';
import type { TestDatabase } from './test-database.js';

export interface SeatFixture {
  partner: { id: string; apiKey: string };
  agreementId: string;
  programId: string;
  therapistId: string;
}

export interface Ref {
  id: string;
  globalId: string;
}

export const RESERVE_SEAT = `mutation ReserveSeat($input: ReserveSeatInput!) {
  reserveSeat(input: $input) { reservation { id status waitlistPosition expiresAt } userErrors { code field message } } }`;

export const CANCEL_RESERVATION = `mutation CancelReservation($input: CancelReservationInput!) {
  cancelReservation(input: $input) { reservation { id status } userErrors { code field message } } }`;

/** A partner with an API key, a therapist, and a published program requiring an agreement (version 1). */
export async function arrangeSeatFixture(db: TestDatabase): Promise<SeatFixture> {
  const apiKey = newSecret(API_KEY_PREFIX);
  const [row] = await db.query<{ partner_id: string; agreement_id: string; program_id: string; therapist_id: string }>(
    `with partner as (insert into partner (id, name) values (gen_random_uuid(), 'Storm Clinic') returning id),
          api_key as (insert into partner_api_key (id, partner_id, label, prefix, secret_hash)
                      select gen_random_uuid(), id, 'concurrency', $1, $2 from partner returning id),
          agreement as (insert into agreement (id, kind, title) values (gen_random_uuid(), 'CONFIDENTIALITY', 'Confidentiality') returning id),
          version as (insert into agreement_version (id, agreement_id, version, body_markdown, requires_resign)
                      select gen_random_uuid(), id, 1, 'Keep it in the room.', true from agreement returning id),
          program as (insert into program (id, title, summary, session_count, session_length_minutes, required_agreement_id, status, published_at)
                      select gen_random_uuid(), 'Concurrency Program', 'For tests.', 3, 60, id, 'PUBLISHED', now() from agreement returning id),
          therapist as (insert into therapist (id, display_name, credentials, time_zone)
                        values (gen_random_uuid(), 'Storm Therapist', 'LCSW', 'Europe/London') returning id)
     select partner.id as partner_id, agreement.id as agreement_id, program.id as program_id, therapist.id as therapist_id
       from partner, agreement, program, therapist, api_key, version`,
    [apiKey.slice(0, 10), secretHash(apiKey)],
  );
  return {
    partner: { id: row!.partner_id, apiKey },
    agreementId: row!.agreement_id,
    programId: row!.program_id,
    therapistId: row!.therapist_id,
  };
}

/** An OPEN group of the fixture's program, with three weekly sessions starting in a week. */
export async function createOpenGroup(db: TestDatabase, fixture: SeatFixture, capacity: number, title = 'Storm Group'): Promise<Ref> {
  const [group] = await db.query<{ id: string }>(
    `insert into therapy_group (id, program_id, title, lead_therapist_id, capacity, type, format, time_zone, starts_on, weekday,
                                start_time, duration_minutes, session_count, status)
     values (gen_random_uuid(), $1, $2, $3, $4, 'CLOSED', 'ONLINE', 'Europe/London', (now() + interval '7 days')::date,
             'MONDAY', '18:00', 60, 3, 'OPEN')
     returning id`,
    [fixture.programId, title, fixture.therapistId, capacity],
  );
  await db.query(
    `insert into group_session (id, group_id, position, starts_at, ends_at)
     select gen_random_uuid(), $1, n, now() + make_interval(days => 7 * n), now() + make_interval(days => 7 * n, mins => 60)
       from generate_series(1, 3) n`,
    [group!.id],
  );
  return { id: group!.id, globalId: toGlobalId('Group', group!.id) };
}

/** `count` members referred by the fixture's partner, in creation order; signed unless told otherwise. */
export async function createMembers(
  db: TestDatabase,
  fixture: SeatFixture,
  count: number,
  { signed = true, prefix = 'Member' }: { signed?: boolean; prefix?: string } = {},
): Promise<Ref[]> {
  const rows = await db.query<{ id: string }>(
    `insert into member (id, display_name, time_zone, partner_id)
     select gen_random_uuid(), $1 || ' ' || n, 'Europe/London', $2 from generate_series(1, $3::int) n order by n
     returning id`,
    [prefix, fixture.partner.id, count],
  );
  if (signed) {
    await db.query(
      `insert into signature (id, member_id, agreement_version_id, typed_name, channel, partner_id)
       select gen_random_uuid(), m, v.id, 'Signed', 'PARTNER', $2
         from unnest($1::uuid[]) m, agreement_version v where v.agreement_id = $3 and v.version = 1`,
      [rows.map((r) => r.id), fixture.partner.id, fixture.agreementId],
    );
  }
  return rows.map((r) => ({ id: r.id, globalId: toGlobalId('Member', r.id) }));
}

/** Seats members directly (CONFIRMED), as if they had reserved earlier. */
export async function seatMembers(db: TestDatabase, group: Ref, members: Ref[]): Promise<void> {
  await db.query(
    `insert into reservation (id, group_id, member_id, status) select gen_random_uuid(), $1, m, 'CONFIRMED' from unnest($2::uuid[]) m`,
    [group.id, members.map((m) => m.id)],
  );
}

/** Puts members on a group's waitlist in the given order, as if they had reserved when it was full. */
export async function waitlistMembers(db: TestDatabase, group: Ref, members: Ref[]): Promise<void> {
  for (const member of members) {
    await db.query(
      `insert into reservation (id, group_id, member_id, status, waitlist_seq)
       values (gen_random_uuid(), $1, $2, 'WAITLISTED', nextval('reservation_waitlist_seq'))`,
      [group.id, member.id],
    );
  }
}

/** Where the database says a reservation is: status and 1-based waitlist position (row_number over waitlist_seq). */
export interface ReservationRow {
  id: string;
  member_id: string;
  status: string;
  waitlist_seq: string | null;
  position: number | null;
}

export async function reservationsOf(db: TestDatabase, group: Ref): Promise<ReservationRow[]> {
  return db.query<ReservationRow>(
    `select id, member_id, status, waitlist_seq,
            case when status = 'WAITLISTED'
                 then (row_number() over (partition by status = 'WAITLISTED' order by waitlist_seq))::int end as position
       from reservation where group_id = $1 order by waitlist_seq nulls first, created_at, id`,
    [group.id],
  );
}

/**
 * The seat rules as SQL over the whole database; returns what is broken (empty when all hold):
 * seats_taken = HELD + CONFIRMED <= capacity (rules 1, 6); no free seat while members wait
 * (rule 4); one active reservation per member and group (rule 2); every waitlisted reservation
 * has its own sequence number, so positions 1..n have no gaps or ties; each reservation's
 * history is a chain from its creation to its current status.
 */
export async function seatInvariantViolations(db: TestDatabase): Promise<string[]> {
  const problems: string[] = [];
  const report = (rule: string, rows: unknown[]) => {
    for (const row of rows) problems.push(`${rule}: ${JSON.stringify(row)}`);
  };
  report(
    'seats_taken must equal HELD + CONFIRMED and stay within capacity',
    await db.query(
      `select g.id, g.capacity, g.seats_taken, count(r.id) filter (where r.status in ('HELD', 'CONFIRMED'))::int as counted
         from therapy_group g left join reservation r on r.group_id = g.id
        group by g.id
       having g.seats_taken <> count(r.id) filter (where r.status in ('HELD', 'CONFIRMED')) or g.seats_taken > g.capacity`,
    ),
  );
  report(
    'a seat must not stay free while members wait',
    await db.query(
      `select g.id, g.capacity, g.seats_taken, count(*)::int as waiting
         from therapy_group g join reservation r on r.group_id = g.id and r.status = 'WAITLISTED'
        where g.status in ('OPEN', 'IN_PROGRESS')
        group by g.id having g.seats_taken < g.capacity`,
    ),
  );
  report(
    'one active reservation per member and group',
    await db.query(
      `select group_id, member_id, count(*)::int from reservation where status in ('HELD', 'CONFIRMED', 'WAITLISTED')
        group by group_id, member_id having count(*) > 1`,
    ),
  );
  report(
    'waitlisted reservations need distinct sequence numbers',
    await db.query(
      `select group_id, count(*)::int as waiting, count(distinct waitlist_seq)::int as distinct_seqs
         from reservation where status = 'WAITLISTED' group by group_id having count(distinct waitlist_seq) <> count(*)`,
    ),
  );
  report(
    'history must chain from creation to the current status',
    await db.query(
      `with h as (
         select e.reservation_id, e.from_status, e.to_status,
                lag(e.to_status) over (partition by e.reservation_id order by e.id) as previous,
                row_number() over (partition by e.reservation_id order by e.id desc) as from_last
           from reservation_event e)
       select r.id, r.status, h.from_status, h.to_status, h.previous
         from reservation r left join h on h.reservation_id = r.id
        where h.reservation_id is null
           or h.from_status is distinct from h.previous
           or (h.from_last = 1 and h.to_status <> r.status)`,
    ),
  );
  return problems;
}
