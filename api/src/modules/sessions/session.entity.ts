import { Check, Entity, Enum, Index, ManyToOne, PrimaryKey, Property, type Ref, Unique } from '@mikro-orm/core';
import type { Opt } from '@mikro-orm/core';
import { newId } from '../../db/ids.js';
import { GroupEntity } from '../groups/group.entity.js';
import { MemberEntity } from '../members/member.entity.js';
import { ProgramModuleEntity } from '../programs/program.entity.js';
import { TherapistEntity } from '../therapists/therapist.entity.js';

export enum SessionStatus {
  SCHEDULED = 'SCHEDULED',
  COMPLETED = 'COMPLETED',
  CANCELLED = 'CANCELLED',
}

export enum AttendanceStatus {
  PRESENT = 'PRESENT',
  LATE = 'LATE',
  ABSENT = 'ABSENT',
  EXCUSED = 'EXCUSED',
}

/** One meeting of a group, generated from its weekly schedule, stored in UTC. */
@Entity({ tableName: 'group_session' })
@Unique({ name: 'group_session_position_key', properties: ['group', 'position'] })
@Index({ name: 'group_session_group_starts_idx', properties: ['group', 'startsAt'] })
@Check({ name: 'group_session_time_check', expression: 'ends_at > starts_at' })
export class SessionEntity {
  @PrimaryKey({ type: 'uuid' }) id: string = newId();
  @ManyToOne(() => GroupEntity, { ref: true, deleteRule: 'cascade' }) group!: Ref<GroupEntity>;
  @Property({ type: 'int' }) position!: number;
  @Property({ type: 'timestamptz' }) startsAt!: Date;
  @Property({ type: 'timestamptz' }) endsAt!: Date;
  @ManyToOne(() => ProgramModuleEntity, { ref: true, nullable: true, deleteRule: 'set null' })
  module?: Ref<ProgramModuleEntity> | null;
  @Enum({ items: () => SessionStatus, nativeEnumName: 'session_status', default: SessionStatus.SCHEDULED })
  status: Opt<SessionStatus> = SessionStatus.SCHEDULED;
}

/** Whether a member came to a session, recorded by a therapist of the group. */
@Entity({ tableName: 'attendance' })
export class AttendanceEntity {
  @ManyToOne(() => SessionEntity, { primary: true, ref: true, deleteRule: 'cascade' }) session!: Ref<SessionEntity>;
  @ManyToOne(() => MemberEntity, { primary: true, ref: true }) member!: Ref<MemberEntity>;
  @Enum({ items: () => AttendanceStatus, nativeEnumName: 'attendance_status' }) status!: AttendanceStatus;
  @ManyToOne(() => TherapistEntity, { ref: true }) recordedBy!: Ref<TherapistEntity>;
  @Property({ type: 'timestamptz', defaultRaw: 'now()' }) recordedAt: Opt<Date> = new Date();
}
