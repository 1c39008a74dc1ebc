import { Field, ID, InputType, Int } from 'type-graphql';
import { z } from 'zod';
import { globalId, intInRange, isoDate, localTime, optionalText, requiredText, timeZone } from '../../graphql/validators.js';
import { GroupFormat, GroupStatus, GroupType, Weekday } from './group.entity.js';

@InputType({ description: "A weekly schedule. Duration and session count default to the program's." })
export class GroupScheduleInput {
  @Field({ description: 'IANA time zone, e.g. Europe/Berlin.' }) timeZone!: string;
  @Field({ description: 'First possible date, YYYY-MM-DD; the first session is the first `weekday` on or after it.' }) startsOn!: string;
  @Field(() => Weekday, { description: 'Day of the week.' }) weekday!: Weekday;
  @Field({ description: 'Local start time, HH:MM (24-hour).' }) startTime!: string;
  @Field(() => Int, { nullable: true, description: 'Session length in minutes, 15 to 480.' }) durationMinutes?: number;
  @Field(() => Int, { nullable: true, description: 'Number of sessions, 1 to 104.' }) sessionCount?: number;
}

@InputType({ description: 'A new group (created as DRAFT, with its sessions).' })
export class CreateGroupInput {
  @Field(() => ID, { description: 'A published program.' }) programId!: string;
  @Field({ description: 'Title shown in the catalogue.' }) title!: string;
  @Field(() => ID, { description: 'Lead therapist.' }) leadTherapistId!: string;
  @Field(() => [ID], { nullable: true, description: 'Co-therapists (not the lead).' }) coTherapistIds?: string[];
  @Field(() => Int, { description: 'Seats, 1 to 500.' }) capacity!: number;
  @Field(() => GroupType, { description: 'Closed cohort or rolling.' }) type!: GroupType;
  @Field(() => GroupFormat, { description: 'Online or in person.' }) format!: GroupFormat;
  @Field({ nullable: true, description: 'Address; required for IN_PERSON, not allowed for ONLINE.' }) location?: string;
  @Field(() => GroupScheduleInput, { description: 'When the group meets.' }) schedule!: GroupScheduleInput;
  @Field({ nullable: true, description: 'When reservations close. Default: the first session for CLOSED groups, never for OPEN ones.' })
  enrolmentDeadline?: Date;
  @Field(() => Int, { nullable: true, description: 'Late-cancellation window in hours (default 24).' }) cancellationWindowHours?: number;
  @Field(() => Int, { nullable: true, description: 'Minutes a seat is held for an unsigned member (default 30).' }) holdMinutes?: number;
}

@InputType({ description: 'Changes to a group; omitted fields stay as they are.' })
export class UpdateGroupInput {
  @Field(() => ID, { description: 'The group.' }) id!: string;
  @Field({ nullable: true, description: 'Title.' }) title?: string;
  @Field(() => Int, { nullable: true, description: 'Seats; cannot go below the seats taken.' }) capacity?: number;
  @Field(() => ID, { nullable: true, description: 'Lead therapist.' }) leadTherapistId?: string;
  @Field(() => [ID], { nullable: true, description: 'Co-therapists (replaces the list).' }) coTherapistIds?: string[];
  @Field({ nullable: true, description: 'Address of an in-person group.' }) location?: string;
  @Field(() => GroupScheduleInput, { nullable: true, description: 'New schedule; only while DRAFT (sessions are regenerated).' })
  schedule?: GroupScheduleInput;
  @Field({ nullable: true, description: 'When reservations close.' }) enrolmentDeadline?: Date;
  @Field(() => Int, { nullable: true, description: 'Late-cancellation window in hours.' }) cancellationWindowHours?: number;
  @Field(() => Int, { nullable: true, description: 'Minutes a seat is held for an unsigned member.' }) holdMinutes?: number;
}

@InputType({ description: 'The group to open.' })
export class OpenGroupInput {
  @Field(() => ID, { description: 'The group.' }) id!: string;
}

@InputType({ description: 'The group to cancel, and why.' })
export class CancelGroupInput {
  @Field(() => ID, { description: 'The group.' }) id!: string;
  @Field({ description: 'Reason, shown to members and partners.' }) reason!: string;
}

@InputType({ description: 'Narrows the list of groups.' })
export class GroupFilter {
  @Field(() => [GroupStatus], {
    nullable: true,
    description: 'Only these statuses. Default: OPEN and IN_PROGRESS for non-staff, all for staff.',
  })
  statuses?: GroupStatus[];
  @Field(() => ID, { nullable: true, description: 'Only groups of this program.' }) programId?: string;
  @Field(() => ID, { nullable: true, description: 'Only groups this therapist leads or co-leads.' }) therapistId?: string;
  @Field({ nullable: true, description: 'Only groups in this IANA time zone.' }) timeZone?: string;
  @Field(() => GroupType, { nullable: true, description: 'Only this type.' }) type?: GroupType;
  @Field(() => GroupFormat, { nullable: true, description: 'Only this format.' }) format?: GroupFormat;
  @Field({ nullable: true, description: 'Only groups with (true) or without (false) a free seat.' }) hasSeatsAvailable?: boolean;
}

export const scheduleSchema = z.object({
  timeZone,
  startsOn: isoDate,
  weekday: z.enum(Weekday),
  startTime: localTime,
  durationMinutes: intInRange(15, 480).optional().nullable(),
  sessionCount: intInRange(1, 104).optional().nullable(),
});

const therapistIds = z.array(globalId('Therapist')).max(10, 'At most 10.');

export const createGroupSchema = z.object({
  programId: globalId('Program'),
  title: requiredText(200),
  leadTherapistId: globalId('Therapist'),
  coTherapistIds: therapistIds.optional().nullable(),
  capacity: intInRange(1, 500),
  type: z.enum(GroupType),
  format: z.enum(GroupFormat),
  location: optionalText(500).optional().nullable(),
  schedule: scheduleSchema,
  enrolmentDeadline: z.date().optional().nullable(),
  cancellationWindowHours: intInRange(0, 720).optional().nullable(),
  holdMinutes: intInRange(1, 10080).optional().nullable(),
});

export const updateGroupSchema = z.object({
  id: globalId('Group'),
  title: requiredText(200).optional().nullable(),
  capacity: intInRange(1, 500).optional().nullable(),
  leadTherapistId: globalId('Therapist').optional().nullable(),
  coTherapistIds: therapistIds.optional().nullable(),
  location: optionalText(500).optional().nullable(),
  schedule: scheduleSchema.optional().nullable(),
  enrolmentDeadline: z.date().optional().nullable(),
  cancellationWindowHours: intInRange(0, 720).optional().nullable(),
  holdMinutes: intInRange(1, 10080).optional().nullable(),
});

export const openGroupSchema = z.object({ id: globalId('Group') });
export const cancelGroupSchema = z.object({ id: globalId('Group'), reason: requiredText(1000) });
