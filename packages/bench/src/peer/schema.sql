-- PostGraphile peer: the read-only catalogue surface PostGraphile 5 exposes (schema bench_peer only).
--
-- Shaped the way a team would put PostGraphile in front of Kindred's tables: views over the
-- public tables with only the columns the catalogue needs (never member identifiers), smart tags
-- for what views cannot declare (primary keys, foreign keys, NOT NULL), and a computed column
-- for the next session. PostGraphile compiles the catalogue document into ONE SQL statement.
--
-- Idempotent: safe to run again (create ... if not exists / create or replace). Adds no index:
-- every lookup below is served by indexes Kindred's migrations already create
--   therapy_group_status_idx (status), therapy_group_pkey, program_pkey, therapist_pkey,
--   reservation_group_status_idx (group_id, status), group_session_group_starts_idx (group_id, starts_at).
-- Re-running after changing a view's column list may need `drop schema bench_peer cascade` first
-- (create or replace view cannot drop or reorder columns).

create schema if not exists bench_peer;

-- Program: what a catalogue card shows.
create or replace view bench_peer.program as
  select p.id, p.title
    from public.program p;

comment on view bench_peer.program is
  E'@primaryKey id\n@behavior -query:resource:list -query:resource:connection\nA program a group runs.';
comment on column bench_peer.program.title is E'@notNull';

-- Therapist: public name only (no credentials, bio or account data).
create or replace view bench_peer.therapist as
  select t.id, t.display_name
    from public.therapist t;

comment on view bench_peer.therapist is
  E'@primaryKey id\n@behavior -query:resource:list -query:resource:connection\nA therapist who leads groups.';
comment on column bench_peer.therapist.display_name is E'@notNull';

-- Session: the shape of a group's next session (returned by the computed column below).
create or replace view bench_peer.session as
  select s.id, s.group_id, s.starts_at
    from public.group_session s;

comment on view bench_peer.session is
  E'@primaryKey id\n@behavior -query:resource:list -query:resource:connection -query:resource:single\nA session of a group.';
comment on column bench_peer.session.group_id is E'@notNull';
comment on column bench_peer.session.starts_at is E'@notNull';

-- Group: public groups (never drafts) with their seat figures, Kindred's semantics:
--   seats_taken          = CONFIRMED + HELD whose hold has not expired (Kindred's seat loader)
--   seats_available      = max(0, capacity - seats_taken)
--   has_seats_available  = capacity - (HELD + CONFIRMED) > 0 (Kindred's hasSeatsAvailable filter,
--                          which counts every HELD row whether or not its hold has expired)
-- One pass over the group's active reservations (reservation_group_status_idx) per group.
create or replace view bench_peer.catalogue_group as
  select g.id,
         g.title,
         g.capacity,
         g.status,
         g.starts_on,
         g.program_id,
         g.lead_therapist_id,
         seats.taken as seats_taken,
         greatest(0, g.capacity - seats.taken) as seats_available,
         g.capacity - seats.active > 0 as has_seats_available
    from public.therapy_group g
    cross join lateral (
      select (count(*) filter (where r.status = 'CONFIRMED' or r.expires_at > now()))::int as taken,
             count(*)::int as active
        from public.reservation r
       where r.group_id = g.id and r.status in ('HELD', 'CONFIRMED')
    ) seats
   where g.status <> 'DRAFT';

-- Smart tags first, then the description (PostGraphile reads tags only at the top of a comment).
comment on view bench_peer.catalogue_group is E'@name group\n'
  '@primaryKey id\n'
  '@foreignKey (program_id) references bench_peer.program (id)|@fieldName program|@foreignFieldName groups\n'
  '@foreignKey (lead_therapist_id) references bench_peer.therapist (id)|@fieldName leadTherapist|@foreignFieldName groupsLed\n'
  'A support group in the public catalogue.';
comment on column bench_peer.catalogue_group.title is E'@notNull';
comment on column bench_peer.catalogue_group.capacity is E'@notNull';
comment on column bench_peer.catalogue_group.status is E'@notNull';
comment on column bench_peer.catalogue_group.starts_on is E'@notNull';
comment on column bench_peer.catalogue_group.program_id is E'@notNull';
comment on column bench_peer.catalogue_group.lead_therapist_id is E'@notNull';
comment on column bench_peer.catalogue_group.seats_taken is E'@notNull\nSeats held or confirmed.';
comment on column bench_peer.catalogue_group.seats_available is E'@notNull\nFree seats: capacity minus seats taken.';
comment on column bench_peer.catalogue_group.has_seats_available is E'@notNull\nWhether a seat is free.';

-- Computed column `Group.nextSession`: the next scheduled session still to start (null when none
-- is left), as Kindred's nextSessionOfGroup loader: smallest starts_at among SCHEDULED sessions
-- starting after now(). Walks group_session_group_starts_idx and stops at the first match.
create or replace function bench_peer.catalogue_group_next_session(g bench_peer.catalogue_group)
  returns bench_peer.session
  language sql stable parallel safe
as $$
  select s.id, s.group_id, s.starts_at
    from public.group_session s
   where s.group_id = g.id and s.status = 'SCHEDULED' and s.starts_at > now()
   order by s.starts_at
   limit 1
$$;

comment on function bench_peer.catalogue_group_next_session(bench_peer.catalogue_group) is
  'The next scheduled session still to start; null when none is left.';
