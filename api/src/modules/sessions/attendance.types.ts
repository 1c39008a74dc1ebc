import { Field, ObjectType } from 'type-graphql';
import { Payload } from '../../graphql/payload.js';
import { AttendanceStatus } from './session.entity.js';

@ObjectType('Attendance', { description: 'Whether a member came to a session, as a therapist of the group recorded it.' })
export class Attendance {
  @Field(() => AttendanceStatus, { description: 'What happened.' }) status!: AttendanceStatus;
  @Field({ description: 'When it was (last) recorded.' }) recordedAt!: Date;
}

@ObjectType({ description: 'Result of `recordAttendance`.' })
export class RecordAttendancePayload extends Payload {
  @Field(() => Attendance, { nullable: true, description: 'The attendance as recorded.' }) attendance: Attendance | null = null;
}
