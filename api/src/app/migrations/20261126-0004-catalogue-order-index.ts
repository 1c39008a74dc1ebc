import { Migration } from '@mikro-orm/migrations';

/**
 * The catalogue lists groups of some statuses by first session date (then id, for keyset
 * pages). This index serves that order directly, so a page reads its rows in order and stops
 * after `first + 1` matches instead of sorting every group of the status.
 */
export class CatalogueOrderIndex extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create index "therapy_group_status_starts_idx" on "therapy_group" ("status", "starts_on", "id");`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop index "therapy_group_status_starts_idx";`);
  }
}
