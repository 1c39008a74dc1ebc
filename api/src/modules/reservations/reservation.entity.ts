import { BigIntType, Check, Entity, Enum, Index, ManyToOne, PrimaryKey, Property, type Ref, type Rel } from '@mikro-orm/core';
import type { Opt } from '@mikro-orm/core';
import { newId } from '../../db/ids.js';
import type { GroupEntity } from '../groups/index.js';
import type { MemberEntity } from '../members/index.js';

export enum ReservationStatus {
  HELD = 'HELD',
  CONFIRMED = 'CONFIRMED',
  WAITLISTED = 'WAITLISTED',
  CANCELLED = 'CANCELLED',
  EXPIRED = 'EXPIRED',
  REMOVED = 'REMOVED',
  MOVED = 'MOVED',
}

/**
 * A member's place in a group. The partial unique index `reservation_one_active_key`
 * (migration) keeps one active reservation per member and group.
 */
@Entity({ tableName: 'reservation' })
@Index({ name: 'reservation_group_status_idx', properties: ['group', 'status'] })
@Index({ name: 'reservation_member_idx', properties: ['member'] })
@Check({ name: 'reservation_waitlist_seq_check', expression: "status <> 'WAITLISTED' or waitlist_seq is not null" })
@Check({ name: 'reservation_hold_expiry_check', expression: "status <> 'HELD' or expires_at is not null" })
export class ReservationEntity {
  @PrimaryKey({ type: 'uuid' }) id: string = newId();
  @ManyToOne('GroupEntity', { ref: true }) group!: Ref<Rel<GroupEntity>>;
  @ManyToOne('MemberEntity', { ref: true }) member!: Ref<Rel<MemberEntity>>;
  @Enum({ items: () => ReservationStatus, nativeEnumName: 'reservation_status' }) status!: ReservationStatus;
  /** Order in which the database accepted the request; the waitlist is served by it. */
  @Property({ type: new BigIntType('string'), nullable: true }) waitlistSeq?: string | null;
  @Property({ type: 'timestamptz', nullable: true }) expiresAt?: Date | null;
  @Property({ type: 'timestamptz', defaultRaw: 'now()' }) createdAt: Opt<Date> = new Date();
  @Property({ type: 'timestamptz', defaultRaw: 'now()', onUpdate: () => new Date() }) updatedAt: Opt<Date> = new Date();
  @Property({ type: 'timestamptz', nullable: true }) endedAt?: Date | null;
  /** Who ended the reservation: MEMBER, PARTNER, ADMIN, THERAPIST or SYSTEM. */
  @Property({ type: 'text', nullable: true }) endedBy?: string | null;
  @Property({ type: 'boolean', nullable: true }) cancelledLate?: boolean | null;
  @Property({ type: 'text', nullable: true }) removalReason?: string | null;
  /** When the seat decision was made, under the group's lock (migration 0017); never changes. */
  @Property({ type: 'timestamptz', defaultRaw: 'clock_timestamp()' }) acceptedAt: Opt<Date> = new Date();
  /** When a free seat went to it from the waitlist. */
  @Property({ type: 'timestamptz', nullable: true }) promotedAt?: Date | null;
  /** For a MOVED reservation: the reservation it became in the other group. */
  @Property({ type: 'uuid', nullable: true }) movedToId?: string | null;
}
