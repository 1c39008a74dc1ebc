import { Entity, Enum, ManyToOne, Property, type Ref, type Rel } from '@mikro-orm/core';
import type { Opt } from '@mikro-orm/core';
import type { SessionEntity } from '../groups/index.js';
import type { MemberEntity } from '../members/index.js';
import type { TherapistEntity } from '../therapists/index.js';

export enum AttendanceStatus {
  PRESENT = 'PRESENT',
  LATE = 'LATE',
  ABSENT = 'ABSENT',
  EXCUSED = 'EXCUSED',
}

/** Whether a member came to a session, recorded by a therapist of the group. */
@Entity({ tableName: 'attendance' })
export class AttendanceEntity {
  @ManyToOne('SessionEntity', { primary: true, ref: true, deleteRule: 'cascade' }) session!: Ref<Rel<SessionEntity>>;
  @ManyToOne('MemberEntity', { primary: true, ref: true }) member!: Ref<Rel<MemberEntity>>;
  @Enum({ items: () => AttendanceStatus, nativeEnumName: 'attendance_status' }) status!: AttendanceStatus;
  @ManyToOne('TherapistEntity', { ref: true }) recordedBy!: Ref<Rel<TherapistEntity>>;
  @Property({ type: 'timestamptz', defaultRaw: 'now()' }) recordedAt: Opt<Date> = new Date();
}
