import { Check, Collection, Entity, Enum, Index, ManyToMany, ManyToOne, PrimaryKey, Property, type Ref, type Rel } from '@mikro-orm/core';
import type { Opt } from '@mikro-orm/core';
import { newId } from '../../db/ids.js';
import type { ProgramEntity } from '../programs/index.js';
import type { TherapistEntity } from '../therapists/index.js';

export enum GroupType {
  CLOSED = 'CLOSED',
  OPEN = 'OPEN',
}

export enum GroupFormat {
  ONLINE = 'ONLINE',
  IN_PERSON = 'IN_PERSON',
}

export enum GroupStatus {
  DRAFT = 'DRAFT',
  OPEN = 'OPEN',
  IN_PROGRESS = 'IN_PROGRESS',
  COMPLETED = 'COMPLETED',
  CANCELLED = 'CANCELLED',
}

export enum Weekday {
  MONDAY = 'MONDAY',
  TUESDAY = 'TUESDAY',
  WEDNESDAY = 'WEDNESDAY',
  THURSDAY = 'THURSDAY',
  FRIDAY = 'FRIDAY',
  SATURDAY = 'SATURDAY',
  SUNDAY = 'SUNDAY',
}

/** A program run weekly by a lead therapist (and co-therapists) for a limited number of seats. */
@Entity({ tableName: 'therapy_group' })
@Index({ name: 'therapy_group_status_idx', properties: ['status'] })
@Check({ name: 'therapy_group_capacity_check', expression: 'capacity between 1 and 500' })
@Check({ name: 'therapy_group_duration_check', expression: 'duration_minutes between 15 and 480' })
@Check({ name: 'therapy_group_session_count_check', expression: 'session_count between 1 and 104' })
@Check({ name: 'therapy_group_location_check', expression: "(format = 'IN_PERSON') = (location is not null)" })
@Check({ name: 'therapy_group_hold_check', expression: 'hold_minutes between 1 and 10080' })
@Check({ name: 'therapy_group_cancellation_window_check', expression: 'cancellation_window_hours between 0 and 720' })
export class GroupEntity {
  @PrimaryKey({ type: 'uuid' }) id: string = newId();
  @Index() @ManyToOne('ProgramEntity', { ref: true }) program!: Ref<Rel<ProgramEntity>>;
  @Property({ type: 'text' }) title!: string;
  @Index() @ManyToOne('TherapistEntity', { ref: true }) leadTherapist!: Ref<Rel<TherapistEntity>>;
  @ManyToMany({
    entity: 'TherapistEntity',
    pivotTable: 'group_co_therapist',
    joinColumn: 'group_id',
    inverseJoinColumn: 'therapist_id',
  })
  coTherapists = new Collection<TherapistEntity>(this);
  @Property({ type: 'int' }) capacity!: number;
  @Enum({ items: () => GroupType, nativeEnumName: 'group_type' }) type!: GroupType;
  @Enum({ items: () => GroupFormat, nativeEnumName: 'group_format' }) format!: GroupFormat;
  @Property({ type: 'text', nullable: true }) location?: string | null;
  /** IANA time zone the schedule is written in, e.g. Europe/Berlin. */
  @Property({ type: 'text' }) timeZone!: string;
  /** Sessions fall on `weekday`, starting with the first such day on or after this date. */
  @Property({ type: 'date' }) startsOn!: string;
  @Enum({ items: () => Weekday, nativeEnumName: 'weekday' }) weekday!: Weekday;
  /** Local wall-clock start time, HH:MM. */
  @Property({ type: 'text' }) startTime!: string;
  @Property({ type: 'int' }) durationMinutes!: number;
  @Property({ type: 'int' }) sessionCount!: number;
  @Property({ type: 'timestamptz', nullable: true }) enrolmentDeadline?: Date | null;
  @Property({ type: 'int', default: 24 }) cancellationWindowHours: Opt<number> = 24;
  @Property({ type: 'int', default: 30 }) holdMinutes: Opt<number> = 30;
  @Enum({ items: () => GroupStatus, nativeEnumName: 'group_status', default: GroupStatus.DRAFT })
  status: Opt<GroupStatus> = GroupStatus.DRAFT;
  @Property({ type: 'text', nullable: true }) cancellationReason?: string | null;
  @Property({ type: 'timestamptz', defaultRaw: 'now()' }) createdAt: Opt<Date> = new Date();
  @Property({ type: 'timestamptz', defaultRaw: 'now()', onUpdate: () => new Date() }) updatedAt: Opt<Date> = new Date();
}
