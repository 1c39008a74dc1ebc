import { Migration } from '@mikro-orm/migrations';

/**
 * The assigned-therapist rule, written once (docs/decisions/0003-field-policy-table.md): every
 * query that asks "which groups does this therapist lead or co-lead" or "which members is this
 * therapist assigned to" reads these views, and nothing spells the rule out again.
 * - `therapist_group`: a therapist leads or co-leads the group.
 * - `therapist_member`: a therapist is assigned to the member — it leads or co-leads a group in
 *   which the member holds or ever held a reservation (every reservation starts HELD, CONFIRMED
 *   or WAITLISTED, so an ended one still counts), one row per such group.
 * Plain views: PostgreSQL inlines them, so a lookup by therapist or member uses the indexes.
 */
export class TherapistAccessViews extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create view therapist_group as
      select g.lead_therapist_id as therapist_id, g.id as group_id from therapy_group g
      union all
      select c.therapist_id, c.group_id from group_co_therapist c`);
    this.addSql(`create view therapist_member as
      select tg.therapist_id, r.member_id, r.group_id
        from therapist_group tg join reservation r on r.group_id = tg.group_id`);
  }

  override async down(): Promise<void> {
    this.addSql('drop view therapist_member');
    this.addSql('drop view therapist_group');
  }
}
