import { BigIntType, Entity, Index, PrimaryKey, Property } from '@mikro-orm/core';

/**
 * One authorised read of a member's personal identifiers. Append-only: a trigger in the
 * migration refuses UPDATE and DELETE. `member_id` is deliberately not a foreign key so the
 * trail outlives the member it describes.
 */
@Entity({ tableName: 'identifier_audit' })
@Index({ name: 'identifier_audit_member_idx', properties: ['memberId', 'readAt'] })
export class IdentifierAuditEntity {
  /** In write order; read as a decimal string (a cursor holds it as JSON). */
  @PrimaryKey({ type: new BigIntType('string'), autoincrement: true }) id!: string;
  @Property({ type: 'timestamptz', defaultRaw: 'now()' }) readAt!: Date;
  /** ADMIN, THERAPIST, MEMBER or PARTNER. */
  @Property({ type: 'text' }) actorKind!: string;
  @Property({ type: 'uuid', nullable: true }) actorAccountId?: string | null;
  @Property({ type: 'uuid', nullable: true }) actorPartnerId?: string | null;
  @Property({ type: 'uuid' }) memberId!: string;
  @Property({ type: 'text[]' }) fields!: string[];
  @Property({ type: 'text', nullable: true }) operationName?: string | null;
  @Property({ type: 'text' }) requestId!: string;
}
