import { z } from 'zod';
import { idString, inputType } from '../../graphql/input-type.js';
import { globalId, intInRange, isoDate, localTime, optionalText, requiredText, timeZone } from '../../graphql/validators.js';
import { GroupFormat, GroupStatus, GroupType, Weekday } from './group.entity.js';

export const scheduleSchema = z.object({
  timeZone,
  startsOn: isoDate,
  weekday: z.enum(Weekday),
  startTime: localTime,
  durationMinutes: intInRange(15, 480).optional().nullable(),
  sessionCount: intInRange(1, 104).optional().nullable(),
});
export const GroupScheduleInput = inputType(
  'GroupScheduleInput',
  "A weekly schedule. Duration and session count default to the program's.",
  scheduleSchema,
  {
    timeZone: 'IANA time zone, e.g. Europe/Berlin.',
    startsOn: 'First possible date, YYYY-MM-DD; the first session is the first `weekday` on or after it.',
    weekday: 'Day of the week.',
    startTime: 'Local start time, HH:MM (24-hour).',
    durationMinutes: 'Session length in minutes.',
    sessionCount: 'Number of sessions.',
  },
);
export type GroupScheduleInput = z.input<typeof scheduleSchema>;

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
export const CreateGroupInput = inputType('CreateGroupInput', 'A new group (created as DRAFT, with its sessions).', createGroupSchema, {
  programId: 'A published program.',
  title: 'Title shown in the catalogue.',
  leadTherapistId: 'Lead therapist.',
  coTherapistIds: 'Co-therapists (not the lead).',
  capacity: 'Seats.',
  type: 'Closed cohort or rolling.',
  format: 'Online or in person.',
  location: 'Address; required for IN_PERSON, not allowed for ONLINE.',
  schedule: 'When the group meets.',
  enrolmentDeadline: 'When reservations close. Default: the first session for CLOSED groups, never for OPEN ones.',
  cancellationWindowHours: 'Late-cancellation window in hours (default 24).',
  holdMinutes: 'Minutes a seat is held for an unsigned member (default 30).',
});
export type CreateGroupInput = z.input<typeof createGroupSchema>;

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
export const UpdateGroupInput = inputType('UpdateGroupInput', 'Changes to a group; omitted fields stay as they are.', updateGroupSchema, {
  id: 'The group.',
  title: 'Title.',
  capacity: 'Seats; cannot go below the seats taken.',
  leadTherapistId: 'Lead therapist.',
  coTherapistIds: 'Co-therapists (replaces the list).',
  location: 'Address of an in-person group.',
  schedule: 'New schedule; only while DRAFT (sessions are regenerated).',
  enrolmentDeadline: 'When reservations close.',
  cancellationWindowHours: 'Late-cancellation window in hours.',
  holdMinutes: 'Minutes a seat is held for an unsigned member.',
});
export type UpdateGroupInput = z.input<typeof updateGroupSchema>;

export const openGroupSchema = z.object({ id: globalId('Group') });
export const OpenGroupInput = inputType('OpenGroupInput', 'The group to open.', openGroupSchema, { id: 'The group.' });
export type OpenGroupInput = z.input<typeof openGroupSchema>;

export const cancelGroupSchema = z.object({ id: globalId('Group'), reason: requiredText(1000) });
export const CancelGroupInput = inputType('CancelGroupInput', 'The group to cancel, and why.', cancelGroupSchema, {
  id: 'The group.',
  reason: 'Reason, shown to members and partners.',
});
export type CancelGroupInput = z.input<typeof cancelGroupSchema>;

/**
 * Filters of `groups` and `Therapist.groups`. Lenient on purpose: a filter narrows a list, so an
 * ID of another type or an unknown zone simply matches nothing (IDs are checked where they are used).
 */
export const groupFilterSchema = z.object({
  statuses: z.array(z.enum(GroupStatus)).optional().nullable(),
  programId: idString().optional().nullable(),
  therapistId: idString().optional().nullable(),
  timeZone: z.string().optional().nullable(),
  type: z.enum(GroupType).optional().nullable(),
  format: z.enum(GroupFormat).optional().nullable(),
  hasSeatsAvailable: z.boolean().optional().nullable(),
});
export const GroupFilter = inputType('GroupFilter', 'Narrows the list of groups.', groupFilterSchema, {
  statuses: 'Only these statuses. Default: OPEN and IN_PROGRESS for non-staff, all for staff.',
  programId: 'Only groups of this program.',
  therapistId: 'Only groups this therapist leads or co-leads.',
  timeZone: 'Only groups in this IANA time zone.',
  type: 'Only this type.',
  format: 'Only this format.',
  hasSeatsAvailable: 'Only groups with (true) or without (false) a free seat.',
});
export type GroupFilter = z.input<typeof groupFilterSchema>;
