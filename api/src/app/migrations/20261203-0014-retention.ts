import { Migration } from '@mikro-orm/migrations';

/**
 * Retention for the two append-only audit trails: a row may be deleted once it is six years old,
 * and only by `prune_identifier_audit(batch)` / `prune_staff_action(batch)`.
 *
 * - UPDATE and TRUNCATE stay refused always (their triggers and `append_only` functions are
 *   untouched; `append_only()` serves any append-only table, so it is not changed here).
 * - DELETE gets a trigger of its own per table: refused unless the transaction-local setting
 *   `kindred.audit_prune` is `on` (which only the prune functions set, and reset before they
 *   return) and the row is older than six years. Turning the setting on by hand still cannot
 *   delete a younger row: the age is checked row by row, whoever connects.
 * - `identifier_audit (read_at)`: the prune finds its oldest rows without reading the table
 *   (`staff_action` has `staff_action_at_idx` already).
 *
 * The six years live here, in the database that enforces them; changing them is a new migration.
 */
export class Retention extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create index "identifier_audit_read_at_idx" on "identifier_audit" ("read_at")`);
    for (const { table, at } of AUDIT_TABLES) {
      this.addSql(`drop trigger "${table}_no_update" on "${table}"`);
      this.addSql(
        `create trigger "${table}_no_update" before update on "${table}" for each row execute function "${UPDATE_GUARD[table]}"()`,
      );
      this.addSql(`create function "${table}_delete_guard"() returns trigger language plpgsql as $$
        begin
          if coalesce(current_setting('kindred.audit_prune', true), '') <> 'on' then
            raise exception '${table} is append-only';
          end if;
          if old."${at}" >= now() - interval '6 years' then
            raise exception '${table} keeps rows for 6 years';
          end if;
          return old;
        end $$`);
      this.addSql(
        `create trigger "${table}_no_delete" before delete on "${table}" for each row execute function "${table}_delete_guard"()`,
      );
      this.addSql(`create function "prune_${table}"(batch int) returns int language plpgsql as $$
        declare
          deleted int;
        begin
          perform set_config('kindred.audit_prune', 'on', true);
          delete from "${table}" where "id" in (
            select "id" from "${table}" where "${at}" < now() - interval '6 years'
             order by "${at}" limit batch for update skip locked);
          get diagnostics deleted = row_count;
          perform set_config('kindred.audit_prune', 'off', true);
          return deleted;
        end $$`);
    }
  }

  override async down(): Promise<void> {
    for (const { table } of AUDIT_TABLES) {
      this.addSql(`drop function "prune_${table}"(int)`);
      this.addSql(`drop trigger "${table}_no_delete" on "${table}"`);
      this.addSql(`drop function "${table}_delete_guard"()`);
      this.addSql(`drop trigger "${table}_no_update" on "${table}"`);
      this.addSql(
        `create trigger "${table}_no_update" before update or delete on "${table}" for each row execute function "${UPDATE_GUARD[table]}"()`,
      );
    }
    this.addSql(`drop index "identifier_audit_read_at_idx"`);
  }
}

/** Each audit table and the column that says when its row was written. */
const AUDIT_TABLES = [
  { table: 'identifier_audit', at: 'read_at' },
  { table: 'staff_action', at: 'at' },
] as const;

/** The trigger functions that refuse UPDATE (migrations 0001 and 0008). */
const UPDATE_GUARD = { identifier_audit: 'identifier_audit_append_only', staff_action: 'append_only' } as const;
