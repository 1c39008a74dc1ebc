import { Field, ID, InputType, ObjectType, registerEnumType } from 'type-graphql';
import { z } from 'zod';
import { Payload } from '../../graphql/payload.js';
import { globalId } from '../../graphql/validators.js';
import { AttendanceStatus } from './attendance.entity.js';

registerEnumType(AttendanceStatus, {
  name: 'AttendanceStatus',
  description: 'Whether a member came to a session.',
  valuesConfig: {
    PRESENT: { description: 'Attended.' },
    LATE: { description: 'Attended, arriving late.' },
    ABSENT: { description: 'Did not attend, without notice.' },
    EXCUSED: { description: 'Did not attend, with notice.' },
  },
});

@InputType({ description: 'Whether a member came to a session.' })
export class RecordAttendanceInput {
  @Field(() => ID, { description: 'The session.' }) sessionId!: string;
  @Field(() => ID, { description: 'The member.' }) memberId!: string;
  @Field(() => AttendanceStatus, { description: 'What happened.' }) status!: AttendanceStatus;
}

export const recordAttendanceSchema = z.object({
  sessionId: globalId('Session'),
  memberId: globalId('Member'),
  status: z.enum(AttendanceStatus),
});

@ObjectType('Attendance', { description: 'Whether a member came to a session, as a therapist of the group recorded it.' })
export class Attendance {
  @Field(() => AttendanceStatus, { description: 'What happened.' }) status!: AttendanceStatus;
  @Field({ description: 'When it was (last) recorded.' }) recordedAt!: Date;
}

@ObjectType({ description: 'Result of `recordAttendance`.' })
export class RecordAttendancePayload extends Payload {
  @Field(() => Attendance, { nullable: true, description: 'The attendance as recorded.' }) attendance: Attendance | null = null;
}
