import { Migration } from '@mikro-orm/migrations';

/**
 * The public cache's change log by scope (graphql/public-cache.ts, docs/decisions/0011-catalogue-scopes.md).
 * Replaces 0005's one-row-per-transaction log: every changing transaction now records, once per
 * scope, which parts of the catalogue it changed, so a reservation in one group no longer
 * invalidates answers about others. Scopes:
 *
 * - `group:<id>`     a group's own fields (every column but `seats_taken`), its sessions, its co-therapists
 * - `seats:<id>`     a group's seat figures (its reservations' status, group or hold expiry)
 * - `program:<id>`   a program's fields; `therapist:<id>` a therapist's fields
 * - `catalogue`      which groups a list holds and in which order: a group created or deleted, a
 *                    change to any group column but the display-only ones below, a co-therapist
 * - `available`      which groups `hasSeatsAvailable` matches: a group turning full or not full
 *                    (capacity against `seats_taken`), or a hold changing in a group that is full
 *                    by count (a due hold is a free seat, docs/decisions/0006-reads-never-write.md)
 * - `*`              a watched table truncated
 *
 * Everything is kept by statement triggers with transition tables on the watched tables, so any
 * writer — the seat engine's functions, an admin's SQL — records its changes without knowing.
 * The freshness check is the function `catalogue_changed_since`: one index range per scope,
 * starting at the entry snapshot's first running transaction that has committed since (or its
 * xmax), with sequential and bitmap scans switched off, so its cost does not depend on the log's
 * size, its statistics or a long transaction elsewhere.
 */
const COLD = [
  // table, scope prefix, id column, a global scope it also changes
  ['program', 'program:', 'id', null],
  ['therapist', 'therapist:', 'id', null],
  ['group_session', 'group:', 'group_id', null],
  ['group_co_therapist', 'group:', 'group_id', 'catalogue'],
] as const;

/** Group columns that are shown but never filter or order a list: a change to them alone leaves `catalogue` alone. */
const DISPLAY_ONLY = [
  'title',
  'capacity',
  'location',
  'weekday',
  'start_time',
  'duration_minutes',
  'session_count',
  'enrolment_deadline',
  'cancellation_window_hours',
  'hold_minutes',
  'cancellation_reason',
  'created_at',
  'updated_at',
  'ended_at',
  'seats_taken',
];

const EVENTS = [
  ['insert', 'new table as new_rows'],
  ['update', 'old table as old_rows new table as new_rows'],
  ['delete', 'old table as old_rows'],
] as const;

const OLD_TABLES = ['therapy_group', 'program', 'therapist', 'group_session', 'group_co_therapist', 'reservation'];

export class CatalogueScopes extends Migration {
  override async up(): Promise<void> {
    for (const table of OLD_TABLES) this.addSql(`drop trigger if exists "${table}_catalogue_change" on "${table}";`);
    this.addSql(`drop function if exists "note_catalogue_change"();`);
    this.addSql(`drop table if exists "catalogue_change";`);

    this.addSql(`create table "catalogue_scope_change" ("scope" text not null, "txid" xid8 not null, primary key ("scope", "txid"));`);
    // The purge deletes the txid range since its previous run (public-cache.ts catalogueChangePurge).
    // A BRIN index (rows arrive in about txid order), on an expression the freshness check does not
    // use: a btree on txid alone would offer the check a scan of every scope's changes since xmin.
    this.addSql(`create index "catalogue_scope_change_age_idx" on "catalogue_scope_change" using brin ((("txid"::text)::bigint));`);

    // Whether any change to `scopes` committed outside `snapshot`: a row whose transaction the
    // snapshot does not see. Those are at or past its xmax, or among its running transactions
    // (xip) — and of those only the ones that have committed since can have a row this statement
    // sees. So the range per scope starts at the oldest xip member that has committed (else at
    // xmax): a transaction still running, however old, does not widen it. The first row not
    // visible in the snapshot ends the scan. Sequential and bitmap scans are off, so the planner
    // cannot choose to read more; PL/pgSQL keeps the plan per connection.
    this.addSql(`create function "catalogue_changed_since"(snapshot pg_snapshot, scopes text[]) returns boolean
      language plpgsql stable strict set enable_seqscan = off set enable_bitmapscan = off as $$
      declare
        low xid8;
      begin
        select coalesce(min(x), pg_snapshot_xmax(snapshot)) into low
          from pg_snapshot_xip(snapshot) x where pg_xact_status(x) = 'committed';
        return exists (select 1 from catalogue_scope_change
                        where scope = any(scopes) and txid >= low
                          and not pg_visible_in_snapshot(txid, snapshot));
      end $$;`);

    // Transition tables exist only for their events (no `old_rows` on insert), hence one branch each.
    this.addSql(`create function "reservation_catalogue_scopes"() returns trigger language plpgsql as $$
      declare
        groups uuid[];
        holds uuid[];
      begin
        if tg_op = 'INSERT' then
          select array_agg(group_id), array_agg(group_id) filter (where status = 'HELD') into groups, holds from new_rows;
        elsif tg_op = 'DELETE' then
          select array_agg(group_id), array_agg(group_id) filter (where status = 'HELD') into groups, holds from old_rows;
        elsif tg_op = 'UPDATE' then
          select array_agg(g), array_agg(g) filter (where hold) into groups, holds
            from old_rows o join new_rows n on n.id = o.id
           cross join lateral (values (o.group_id, o.status = 'HELD'), (n.group_id, n.status = 'HELD')) v(g, hold)
           where (o.status, o.group_id, o.expires_at) is distinct from (n.status, n.group_id, n.expires_at);
        end if;
        insert into catalogue_scope_change (scope, txid)
        select distinct s, pg_current_xact_id() from (
          select 'seats:' || unnest(groups)
          union all
          select 'available' where exists (select 1 from therapy_group g where g.id = any(holds) and g.seats_taken >= g.capacity)
          union all
          select '*' where tg_op = 'TRUNCATE') v(s)
        on conflict do nothing;
        return null;
      end $$;`);

    this.addSql(`create function "therapy_group_catalogue_scopes"() returns trigger language plpgsql as $$
      begin
        if tg_op = 'UPDATE' then
          insert into catalogue_scope_change (scope, txid)
          select distinct s, pg_current_xact_id()
            from old_rows o join new_rows n on n.id = o.id
           cross join lateral (values
             (case when (to_jsonb(o) - 'seats_taken') <> (to_jsonb(n) - 'seats_taken') then 'group:' || n.id end),
             (case when (to_jsonb(o) - ${textArray(DISPLAY_ONLY)}) <> (to_jsonb(n) - ${textArray(DISPLAY_ONLY)}) then 'catalogue' end),
             (case when (o.capacity > o.seats_taken) <> (n.capacity > n.seats_taken) then 'available' end)) v(s)
           where s is not null
          on conflict do nothing;
        else
          -- A group created, deleted or truncated away: every list and its own answers.
          execute format(
            'insert into catalogue_scope_change (scope, txid)
             select distinct s, pg_current_xact_id() from (
               select ''group:'' || id from %s union all values (''catalogue''), (''available''), (%L)) v(s)
             where s is not null
             on conflict do nothing',
            case tg_op when 'INSERT' then 'new_rows' when 'DELETE' then 'old_rows' else '(select null::uuid as id) r' end,
            case tg_op when 'TRUNCATE' then '*' end);
        end if;
        return null;
      end $$;`);

    // The cold tables (changed by staff, seldom): one function, told its scope by trigger arguments.
    // TG_ARGV: scope prefix, id column, a global scope to note as well ('' for none).
    this.addSql(`create function "note_catalogue_scopes"() returns trigger language plpgsql as $$
      begin
        if tg_op = 'TRUNCATE' then
          insert into catalogue_scope_change values ('*', pg_current_xact_id()) on conflict do nothing;
          return null;
        end if;
        execute format(
          'insert into catalogue_scope_change (scope, txid)
           select distinct s, pg_current_xact_id() from (
             select %L || %I as s from %3$s
             union all select nullif(%L, '''') where exists (select from %3$s)) v
           where s is not null
           on conflict do nothing',
          tg_argv[0], tg_argv[1],
          case tg_op when 'INSERT' then 'new_rows' when 'DELETE' then 'old_rows'
                     else '(select * from old_rows union all select * from new_rows) r' end,
          tg_argv[2]);
        return null;
      end $$;`);

    for (const [table, fn, args] of [
      ['reservation', 'reservation_catalogue_scopes', ''],
      ['therapy_group', 'therapy_group_catalogue_scopes', ''],
      ...COLD.map(([table, prefix, column, global]) => [table, 'note_catalogue_scopes', `'${prefix}', '${column}', '${global ?? ''}'`]),
    ]) {
      for (const [event, referencing] of EVENTS) {
        this.addSql(
          `create trigger "${table}_catalogue_${event}" after ${event} on "${table}" referencing ${referencing} for each statement execute function "${fn}"(${args});`,
        );
      }
      this.addSql(
        `create trigger "${table}_catalogue_truncate" after truncate on "${table}" for each statement execute function "${fn}"(${args});`,
      );
    }
  }

  override async down(): Promise<void> {
    for (const table of ['reservation', 'therapy_group', ...COLD.map(([table]) => table)]) {
      for (const event of [...EVENTS.map(([e]) => e), 'truncate']) this.addSql(`drop trigger "${table}_catalogue_${event}" on "${table}";`);
    }
    this.addSql(`drop function "note_catalogue_scopes"(), "therapy_group_catalogue_scopes"(), "reservation_catalogue_scopes"();`);
    this.addSql(`drop function "catalogue_changed_since"(pg_snapshot, text[]);`);
    this.addSql(`drop table "catalogue_scope_change";`);
    // Back to 0005's log: one row per changing transaction.
    this.addSql(`create table "catalogue_change" ("txid" xid8 primary key, "finished_by" timestamptz null);`);
    this.addSql(`create function "note_catalogue_change"() returns trigger language plpgsql as $$
      begin
        insert into catalogue_change (txid) values (pg_current_xact_id()) on conflict do nothing;
        return null;
      end $$;`);
    for (const table of OLD_TABLES) {
      this.addSql(
        `create trigger "${table}_catalogue_change" after insert or update or delete or truncate on "${table}" for each statement execute function "note_catalogue_change"();`,
      );
    }
  }
}

const textArray = (items: readonly string[]) => `array[${items.map((item) => `'${item}'`).join(', ')}]::text[]`;
