import { Entity, Index, PrimaryKey, Property } from '@mikro-orm/core';

/**
 * One call of a mutation by an admin, a therapist or a partner (api/src/authz/staff-actions.ts
 * writes it; migration 0008 makes the table append-only).
 */
@Entity({ tableName: 'staff_action' })
@Index({ name: 'staff_action_actor_idx', properties: ['actorId', 'id'] })
@Index({ name: 'staff_action_subject_idx', properties: ['subjectId', 'id'] })
@Index({ name: 'staff_action_group_idx', properties: ['groupId', 'id'] })
@Index({ name: 'staff_action_at_idx', properties: ['at'] })
export class StaffActionEntity {
  @PrimaryKey({ type: 'uuid' }) id!: string;
  @Property({ type: 'timestamptz' }) at!: Date;
  /** ADMIN, THERAPIST or PARTNER. */
  @Property({ type: 'text' }) actorKind!: string;
  /** The admin's account, the therapist or the partner. */
  @Property({ type: 'uuid' }) actorId!: string;
  @Property({ type: 'uuid', nullable: true }) actorAccountId?: string | null;
  /** The mutation called. */
  @Property({ type: 'text' }) action!: string;
  /** DONE, REFUSED or FAILED. */
  @Property({ type: 'text' }) outcome!: string;
  @Property({ type: 'text', nullable: true }) subjectType?: string | null;
  @Property({ type: 'uuid', nullable: true }) subjectId?: string | null;
  @Property({ type: 'uuid', nullable: true }) groupId?: string | null;
  @Property({ type: 'jsonb' }) changes!: { type: string; id: string; before?: Record<string, unknown>; after?: Record<string, unknown> }[];
  @Property({ type: 'text' }) requestId!: string;
}
