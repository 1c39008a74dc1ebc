import { Migration } from '@mikro-orm/migrations';

/**
 * An acceptance order anyone can verify: `reservation.accepted_at` is the moment the seat decision
 * was made — `clock_timestamp()` when the row is inserted, which the seat engine does under the
 * group's lock, so along one group it increases in the order seats and waitlist places were given
 * (`created_at` is `now()`, the start of the transaction, and can be seconds earlier). It never
 * changes; a promotion from the waitlist sets `promoted_at`. Rows from before keep `created_at`.
 */
export class AcceptanceOrder extends Migration {
  override async up(): Promise<void> {
    this.addSql(`alter table "reservation" add column "accepted_at" timestamptz null, add column "promoted_at" timestamptz null`);
    this.addSql(`update "reservation" set "accepted_at" = "created_at"`);
    this.addSql(
      `alter table "reservation" alter column "accepted_at" set default clock_timestamp(), alter column "accepted_at" set not null`,
    );
  }

  override async down(): Promise<void> {
    this.addSql(`alter table "reservation" drop column "promoted_at", drop column "accepted_at"`);
  }
}
