import { Migration } from '@mikro-orm/migrations';

/**
 * The seat rules as PostgreSQL functions (docs/seat-rules.md, docs/decisions/0010-seat-functions.md):
 * each seat mutation is ONE call — claim the idempotency key, lock, decide, write, promote, store
 * the result — so a group's row lock is held for the function's own work only, never across a
 * round trip to a Node process busy with other requests.
 *
 * Versioned: a process calls the `_v1` names it was built with. A later change to a rule adds
 * `reserve_seat_v2` (and whatever it calls) in a new migration; processes still running the old
 * code keep calling v1 until they stop, and a later migration drops v1. Never `create or replace`
 * a released version.
 *
 * Entry points (called by api/src/modules/reservations): `reserve_seat_v1`,
 * `end_reservation_v1` (cancel, remove), `move_reservation_v1`, `sweep_group_v1` (hold expiry),
 * `advance_group_v1` (a group starting or completing), `cancel_group_v1`, `set_capacity_v1`,
 * `seat_lock_v1` (the multi-step mutations that keep their work in TypeScript: signing, erasure). Internal:
 * `seat_settle_v1` (rule 5 then rule 4), `seat_promote_v1` (rule 4), `seat_place_v1` (rule 3),
 * `seat_end_v1` (an ending and its promotion), `seat_claim_v1` / `seat_done_v1` (rule 7).
 *
 * An entry point answers `{ result: { objectId, userErrors }, row?, previous?, replay?, lockWaitSeconds? }`;
 * `result` is exactly what is stored for an idempotent replay (the format the TypeScript engine
 * stored before, so keys taken before this migration replay unchanged). Refusals write nothing
 * but the idempotency record and what the lock-holder must do anyway (due holds expire, free
 * seats go to the waitlist).
 */
const FUNCTIONS = `
create function seat_refusal_v1(p_code text, p_field text[], p_message text) returns jsonb language sql immutable as $$
  select jsonb_build_object('objectId', null, 'userErrors',
           jsonb_build_array(jsonb_build_object('code', p_code, 'field', to_jsonb(p_field), 'message', p_message)))
$$;

-- Rule 7: the first call with a key claims it (a concurrent one waits on the primary key, then
-- fails with a unique violation and is retried by the caller, finding the stored result).
create function seat_claim_v1(p_caller text, p_key text, p_operation text, p_hash text) returns jsonb language plpgsql as $$
declare
  v record;
begin
  if p_key is null then
    return null;
  end if;
  select request_hash, operation, result into v from idempotency_key where caller = p_caller and key = p_key;
  if found then
    if v.request_hash <> p_hash or v.operation <> p_operation or v.result is null then
      return seat_refusal_v1('IDEMPOTENCY_KEY_REUSED', '{input,idempotencyKey}', 'This idempotency key was already used for a different request.');
    end if;
    return v.result;
  end if;
  insert into idempotency_key (caller, key, operation, request_hash) values (p_caller, p_key, p_operation, p_hash);
  return null;
end $$;

create function seat_done_v1(p_caller text, p_key text, p_result jsonb, p_row jsonb, p_lock_wait float8) returns jsonb language plpgsql as $$
begin
  if p_key is not null then
    update idempotency_key set result = p_result where caller = p_caller and key = p_key;
  end if;
  return jsonb_build_object('result', p_result, 'lockWaitSeconds', p_lock_wait)
         || case when p_row is null then '{}'::jsonb else jsonb_build_object('row', p_row) end;
end $$;

-- Rule 5 then rule 4, under the group's lock: due holds end as EXPIRED (a member who meanwhile
-- signed is confirmed instead: a signed member never loses a seat to the clock), then free seats
-- go to the waitlist. Returns the holds expired.
create function seat_settle_v1(p_group uuid) returns int language plpgsql as $$
declare
  v_expired int;
begin
  with due as (
         select r.id, member_has_signed(r.member_id, p.required_agreement_id) as signed
           from reservation r join therapy_group g on g.id = r.group_id join program p on p.id = g.program_id
          where r.group_id = p_group and r.status = 'HELD' and r.expires_at <= now()),
       changed as (
         update reservation r
            set status = (case when due.signed then 'CONFIRMED' else 'EXPIRED' end)::reservation_status,
                expires_at = case when due.signed then null else r.expires_at end,
                ended_at = case when due.signed then null else now() end,
                ended_by = case when due.signed then null else 'SYSTEM' end,
                updated_at = now()
           from due
          where r.id = due.id
         returning not due.signed as expired)
  select count(*) filter (where expired) into v_expired from changed;
  perform seat_promote_v1(p_group);
  return v_expired;
end $$;

-- Rule 4, under the group's lock: free seats go, in waitlist order (the sequence taken under the
-- lock on acceptance), to the first waitlisted members — CONFIRMED when they have signed the
-- group's required agreement, HELD for the group's hold time otherwise.
create function seat_promote_v1(p_group uuid) returns int language plpgsql as $$
declare
  v_free int;
  v_hold int;
  v_agreement uuid;
  v_promoted int;
begin
  select g.capacity - g.seats_taken, g.hold_minutes, p.required_agreement_id into v_free, v_hold, v_agreement
    from therapy_group g join program p on p.id = g.program_id where g.id = p_group;
  if v_free is null or v_free <= 0 then
    return 0;
  end if;
  with next as (
         select id, member_has_signed(member_id, v_agreement) as signed
           from reservation
          where group_id = p_group and status = 'WAITLISTED'
          order by waitlist_seq
          limit v_free),
       changed as (
         update reservation r
            set status = (case when next.signed then 'CONFIRMED' else 'HELD' end)::reservation_status,
                expires_at = case when next.signed then null else now() + make_interval(mins => v_hold) end,
                promoted_at = clock_timestamp(), updated_at = now()
           from next
          where r.id = next.id
         returning r.id)
  select count(*) into v_promoted from changed;
  return v_promoted;
end $$;

-- Rule 3, under the group's lock (settled first): a free seat — CONFIRMED if signed, HELD
-- otherwise — or the end of the waitlist. Null when the member already has a place (rule 2).
create function seat_place_v1(p_group uuid, p_member uuid, p_id uuid) returns reservation language plpgsql as $$
declare
  v_free boolean;
  v_hold int;
  v_agreement uuid;
  v_signed boolean;
  r reservation;
begin
  if exists (select 1 from reservation where group_id = p_group and member_id = p_member and status in ('HELD', 'CONFIRMED', 'WAITLISTED')) then
    return null;
  end if;
  select g.seats_taken < g.capacity, g.hold_minutes, p.required_agreement_id into v_free, v_hold, v_agreement
    from therapy_group g join program p on p.id = g.program_id where g.id = p_group;
  v_signed := member_has_signed(p_member, v_agreement);
  insert into reservation as x (id, group_id, member_id, status, expires_at, waitlist_seq, created_at, updated_at)
  values (p_id, p_group, p_member,
          (case when not v_free then 'WAITLISTED' when v_signed then 'CONFIRMED' else 'HELD' end)::reservation_status,
          case when v_free and not v_signed then now() + make_interval(mins => v_hold) end,
          case when not v_free then nextval('reservation_waitlist_seq') end, now(), now())
  returning * into r;
  return r;
end $$;

-- Ends an active reservation under its group's lock and gives a freed seat to the waitlist.
-- Leaving a waitlist is never "late": no seat was given up. Returns the ended row with its
-- previous status, or null when the reservation was no longer active.
create function seat_end_v1(p_reservation uuid, p_group uuid, p_status text, p_ended_by text, p_late boolean, p_reason text, p_moved_to uuid)
returns jsonb language plpgsql as $$
declare
  v_row jsonb;
begin
  with prev as (select id, status from reservation where id = p_reservation and group_id = p_group for update)
  update reservation r
     set status = p_status::reservation_status, ended_at = now(), ended_by = p_ended_by, expires_at = null,
         removal_reason = p_reason, moved_to_id = p_moved_to, updated_at = now(),
         cancelled_late = case when prev.status = 'WAITLISTED' and p_late is not null then false else p_late end
    from prev
   where r.id = prev.id and prev.status in ('HELD', 'CONFIRMED', 'WAITLISTED')
  returning to_jsonb(r.*) || jsonb_build_object('previous', prev.status) into v_row;
  if v_row is not null then
    perform seat_promote_v1(p_group);
  end if;
  return v_row;
end $$;

-- Locks groups in id order (two groups never deadlock) and settles each; names the actor for the
-- status history. With p_skip_locked, a group another transaction holds is skipped (background
-- work: whoever holds it applies the same rules). Returns the groups locked.
create function seat_lock_v1(p_groups uuid[], p_actor text, p_reason text, p_skip_locked boolean) returns uuid[] language plpgsql as $$
declare
  v_id uuid;
  v_locked uuid[] := '{}';
begin
  perform set_config('kindred.actor', p_actor, true), set_config('kindred.reason', coalesce(p_reason, ''), true);
  foreach v_id in array coalesce((select array_agg(distinct x order by x) from unnest(p_groups) x), '{}') loop
    if p_skip_locked then
      perform 1 from therapy_group where id = v_id for update skip locked;
    else
      perform 1 from therapy_group where id = v_id for update;
    end if;
    if found then
      v_locked := v_locked || v_id;
      perform seat_settle_v1(v_id);
    end if;
  end loop;
  return v_locked;
end $$;

-- reserveSeat: a member for itself, a partner for its member, an admin (p_staff) for anyone.
create function reserve_seat_v1(p_caller text, p_key text, p_hash text, p_group uuid, p_member uuid, p_id uuid, p_staff boolean)
returns jsonb language plpgsql as $$
declare
  v_stored jsonb;
  v_started timestamptz;
  v_waited float8;
  v record;
  r reservation;
begin
  v_stored := seat_claim_v1(p_caller, p_key, 'reserveSeat', p_hash);
  if v_stored is not null then
    return jsonb_build_object('result', v_stored, 'replay', true);
  end if;
  perform set_config('kindred.actor', p_caller, true), set_config('kindred.reason', '', true);
  v_started := clock_timestamp();
  select status::text as status, type::text as type, enrolment_deadline into v
    from therapy_group where id = p_group for update;
  v_waited := extract(epoch from clock_timestamp() - v_started);
  if v.status is null or (v.status = 'DRAFT' and not p_staff) then
    return seat_done_v1(p_caller, p_key, seat_refusal_v1('NOT_FOUND', '{input,groupId}', 'No group with this ID.'), null, v_waited);
  end if;
  if not (v.status = 'OPEN' or (v.status = 'IN_PROGRESS' and v.type = 'OPEN')) then
    return seat_done_v1(p_caller, p_key, seat_refusal_v1('GROUP_NOT_OPEN', '{input,groupId}', 'This group does not take reservations.'), null, v_waited);
  end if;
  if v.enrolment_deadline is not null and v.enrolment_deadline <= now() then
    return seat_done_v1(p_caller, p_key, seat_refusal_v1('ENROLMENT_CLOSED', '{input,groupId}', 'Enrolment for this group has closed.'), null, v_waited);
  end if;
  perform seat_settle_v1(p_group);
  r := seat_place_v1(p_group, p_member, p_id);
  if r.id is null then
    return seat_done_v1(p_caller, p_key,
      seat_refusal_v1('ALREADY_RESERVED', '{input,groupId}', 'The member already has a seat or a waitlist place in this group.'), null, v_waited);
  end if;
  return seat_done_v1(p_caller, p_key, jsonb_build_object('objectId', r.id, 'userErrors', '[]'::jsonb), to_jsonb(r), v_waited);
end $$;

-- cancelReservation (p_status CANCELLED: lateness recorded) and removeReservation (REMOVED, with
-- a reason). Who may is decided by the caller before (authorisation lives in the API).
create function end_reservation_v1(p_caller text, p_key text, p_operation text, p_hash text, p_reservation uuid, p_group uuid,
                                   p_status text, p_ended_by text, p_reason text)
returns jsonb language plpgsql as $$
declare
  v_stored jsonb;
  v_started timestamptz;
  v_waited float8;
  v_late boolean;
  v_row jsonb;
begin
  v_stored := seat_claim_v1(p_caller, p_key, p_operation, p_hash);
  if v_stored is not null then
    return jsonb_build_object('result', v_stored, 'replay', true);
  end if;
  perform set_config('kindred.actor', p_caller, true), set_config('kindred.reason', coalesce(p_reason, ''), true);
  v_started := clock_timestamp();
  perform 1 from therapy_group where id = p_group for update;
  v_waited := extract(epoch from clock_timestamp() - v_started);
  perform seat_settle_v1(p_group);
  if p_status = 'CANCELLED' then
    -- Late: a session of the group starts within its cancellation window.
    select exists (select 1 from group_session s where s.group_id = g.id and s.status = 'SCHEDULED'
                     and s.starts_at > now() and s.starts_at <= now() + make_interval(hours => g.cancellation_window_hours))
      into v_late from therapy_group g where g.id = p_group;
  end if;
  v_row := seat_end_v1(p_reservation, p_group, p_status, p_ended_by, v_late, p_reason, null);
  if v_row is null then
    return seat_done_v1(p_caller, p_key,
      seat_refusal_v1('RESERVATION_NOT_ACTIVE', '{input,reservationId}', 'This reservation is no longer active.'), null, v_waited);
  end if;
  return seat_done_v1(p_caller, p_key, jsonb_build_object('objectId', v_row->>'id', 'userErrors', '[]'::jsonb), v_row, v_waited);
end $$;

-- moveReservation (admins): under both groups' locks, the member gets a seat in the new group (or
-- its waitlist), the old reservation ends as MOVED linked to the new one, and its seat goes to the
-- old group's waitlist. Every check comes before the first write: all of it happens or none.
create function move_reservation_v1(p_caller text, p_key text, p_hash text, p_reservation uuid, p_from uuid, p_to uuid, p_member uuid, p_id uuid)
returns jsonb language plpgsql as $$
declare
  v_stored jsonb;
  v_started timestamptz;
  v_waited float8;
  v_group uuid;
  t record;
  r reservation;
begin
  v_stored := seat_claim_v1(p_caller, p_key, 'moveReservation', p_hash);
  if v_stored is not null then
    return jsonb_build_object('result', v_stored, 'replay', true);
  end if;
  perform set_config('kindred.actor', p_caller, true), set_config('kindred.reason', 'moved to another group', true);
  v_started := clock_timestamp();
  for v_group in select x from unnest(array[p_from, p_to]) x order by x loop
    perform 1 from therapy_group where id = v_group for update;
  end loop;
  v_waited := extract(epoch from clock_timestamp() - v_started);
  select status::text as status, type::text as type, enrolment_deadline into t from therapy_group where id = p_to;
  if t.status is null then
    return seat_done_v1(p_caller, p_key, seat_refusal_v1('NOT_FOUND', '{input,toGroupId}', 'No group with this ID.'), null, v_waited);
  end if;
  perform seat_settle_v1(x) from unnest(array[p_from, p_to]) x order by x;
  if not (t.status = 'OPEN' or (t.status = 'IN_PROGRESS' and t.type = 'OPEN')) then
    return seat_done_v1(p_caller, p_key, seat_refusal_v1('GROUP_NOT_OPEN', '{input,toGroupId}', 'This group does not take reservations.'), null, v_waited);
  end if;
  if t.enrolment_deadline is not null and t.enrolment_deadline <= now() then
    return seat_done_v1(p_caller, p_key, seat_refusal_v1('ENROLMENT_CLOSED', '{input,toGroupId}', 'Enrolment for this group has closed.'), null, v_waited);
  end if;
  if not exists (select 1 from reservation where id = p_reservation and group_id = p_from and status in ('HELD', 'CONFIRMED', 'WAITLISTED')) then
    return seat_done_v1(p_caller, p_key,
      seat_refusal_v1('RESERVATION_NOT_ACTIVE', '{input,reservationId}', 'This reservation is no longer active.'), null, v_waited);
  end if;
  r := seat_place_v1(p_to, p_member, p_id);
  if r.id is null then
    return seat_done_v1(p_caller, p_key,
      seat_refusal_v1('ALREADY_RESERVED', '{input,toGroupId}', 'The member already has a seat or a waitlist place in this group.'), null, v_waited);
  end if;
  perform seat_end_v1(p_reservation, p_from, 'MOVED', 'ADMIN', null, 'Moved by an admin to another group.', r.id);
  return seat_done_v1(p_caller, p_key, jsonb_build_object('objectId', r.id, 'userErrors', '[]'::jsonb), to_jsonb(r), v_waited);
end $$;

-- The hold sweeper: one group, skipped when another transaction holds it. Returns the holds
-- expired, or null when the group was skipped.
create function sweep_group_v1(p_group uuid) returns int language plpgsql as $$
begin
  perform set_config('kindred.actor', 'SYSTEM', true), set_config('kindred.reason', 'hold expired', true);
  perform 1 from therapy_group where id = p_group for update skip locked;
  if not found then
    return null;
  end if;
  return seat_settle_v1(p_group);
end $$;

-- A group's lifecycle as time passes (api/src/modules/groups/group-lifecycle.ts): an OPEN group
-- whose first session started becomes IN_PROGRESS (free seats still go to the waitlist; a CLOSED
-- cohort is then fixed: waitlist cancelled, unsigned holds expire); a group whose last session
-- ended becomes COMPLETED (places still waiting end). Returns whether the group moved on.
create function advance_group_v1(p_group uuid, p_next text) returns boolean language plpgsql as $$
declare
  v record;
begin
  perform set_config('kindred.actor', 'SYSTEM', true),
          set_config('kindred.reason', case when p_next = 'COMPLETED' then 'group completed' else 'group started' end, true);
  select status::text as status, type::text as type into v from therapy_group where id = p_group for update skip locked;
  if v.status is null or v.status not in ('OPEN', 'IN_PROGRESS') then
    return false;
  end if;
  if p_next = 'IN_PROGRESS' then
    perform seat_settle_v1(p_group);
  end if;
  if p_next = 'COMPLETED' or v.type = 'CLOSED' then
    update reservation
       set status = (case when status = 'HELD' then 'EXPIRED' else 'CANCELLED' end)::reservation_status,
           ended_at = now(), ended_by = 'SYSTEM', updated_at = now()
     where group_id = p_group and status in ('WAITLISTED', 'HELD');
  end if;
  update therapy_group set status = p_next::group_status, updated_at = now() where id = p_group;
  return true;
end $$;
-- cancelGroup: the group ends as CANCELLED with the reason, its scheduled sessions are called off
-- and every active reservation ends as CANCELLED by the system (never late). Refuses a group
-- already finished. Answers the group's previous status.
create function cancel_group_v1(p_group uuid, p_actor text, p_reason text) returns jsonb language plpgsql as $$
declare
  v_status text;
begin
  perform set_config('kindred.actor', p_actor, true), set_config('kindred.reason', 'group cancelled: ' || p_reason, true);
  select status::text into v_status from therapy_group where id = p_group for update;
  if v_status is null then
    return jsonb_build_object('result', seat_refusal_v1('NOT_FOUND', '{input,id}', 'No group with this ID.'));
  end if;
  if v_status in ('CANCELLED', 'COMPLETED') then
    return jsonb_build_object('result', seat_refusal_v1('INVALID_STATE', '{input,id}', 'This group is already cancelled or completed.'));
  end if;
  update therapy_group set status = 'CANCELLED', cancellation_reason = p_reason, updated_at = now() where id = p_group;
  update group_session set status = 'CANCELLED' where group_id = p_group and status = 'SCHEDULED';
  update reservation
     set status = 'CANCELLED', ended_at = now(), ended_by = 'SYSTEM', cancelled_late = false, expires_at = null, updated_at = now()
   where group_id = p_group and status in ('HELD', 'CONFIRMED', 'WAITLISTED');
  return jsonb_build_object('result', jsonb_build_object('objectId', p_group, 'userErrors', '[]'::jsonb), 'previous', v_status);
end $$;

-- Rule 6, under the group's lock: capacity never goes below the seats taken; a raise gives the
-- new seats to the waitlist at once (rule 4). Answers the previous capacity.
create function set_capacity_v1(p_group uuid, p_capacity int, p_actor text) returns jsonb language plpgsql as $$
declare
  v_capacity int;
  v_taken int;
begin
  perform set_config('kindred.actor', p_actor, true), set_config('kindred.reason', 'capacity changed', true);
  select capacity into v_capacity from therapy_group where id = p_group for update;
  if v_capacity is null then
    return jsonb_build_object('result', seat_refusal_v1('NOT_FOUND', '{input,id}', 'No group with this ID.'));
  end if;
  perform seat_settle_v1(p_group);
  select seats_taken into v_taken from therapy_group where id = p_group;
  if p_capacity < v_taken then
    return jsonb_build_object('result', seat_refusal_v1('CAPACITY_BELOW_TAKEN', '{input,capacity}',
      v_taken || ' seats are taken; capacity cannot go below that.'));
  end if;
  update therapy_group set capacity = p_capacity, updated_at = now() where id = p_group and capacity <> p_capacity;
  perform seat_promote_v1(p_group);
  return jsonb_build_object('result', jsonb_build_object('objectId', p_group, 'userErrors', '[]'::jsonb), 'previous', v_capacity);
end $$;
`;

const NAMES = [
  'set_capacity_v1(uuid, int, text)',
  'cancel_group_v1(uuid, text, text)',
  'advance_group_v1(uuid, text)',
  'sweep_group_v1(uuid)',
  'move_reservation_v1(text, text, text, uuid, uuid, uuid, uuid, uuid)',
  'end_reservation_v1(text, text, text, text, uuid, uuid, text, text, text)',
  'reserve_seat_v1(text, text, text, uuid, uuid, uuid, boolean)',
  'seat_lock_v1(uuid[], text, text, boolean)',
  'seat_end_v1(uuid, uuid, text, text, boolean, text, uuid)',
  'seat_place_v1(uuid, uuid, uuid)',
  'seat_settle_v1(uuid)',
  'seat_promote_v1(uuid)',
  'seat_done_v1(text, text, jsonb, jsonb, float8)',
  'seat_claim_v1(text, text, text, text)',
  'seat_refusal_v1(text, text[], text)',
];

export class SeatFunctions extends Migration {
  override async up(): Promise<void> {
    this.addSql(FUNCTIONS);
  }

  override async down(): Promise<void> {
    for (const name of NAMES) this.addSql(`drop function ${name};`);
  }
}
