import { Field, ObjectType, registerEnumType } from 'type-graphql';
import { z } from 'zod';
import { inputType } from '../../graphql/input-type.js';
import { payloadType } from '../../graphql/payload.js';
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

export const recordAttendanceSchema = z.object({
  sessionId: globalId('Session'),
  memberId: globalId('Member'),
  status: z.enum(AttendanceStatus),
});
export const RecordAttendanceInput = inputType('RecordAttendanceInput', 'Whether a member came to a session.', recordAttendanceSchema, {
  sessionId: 'The session.',
  memberId: 'The member.',
  status: 'What happened.',
});
export type RecordAttendanceInput = z.input<typeof recordAttendanceSchema>;

@ObjectType('Attendance', { description: 'Whether a member came to a session, as a therapist of the group recorded it.' })
export class Attendance {
  @Field(() => AttendanceStatus, { description: 'What happened.' }) status!: AttendanceStatus;
  @Field({ description: 'When it was (last) recorded.' }) recordedAt!: Date;
}

export const RecordAttendancePayload = payloadType('RecordAttendancePayload', 'Result of `recordAttendance`.', {
  attendance: { type: () => Attendance, description: 'The attendance as recorded.' },
});
