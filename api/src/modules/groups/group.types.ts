import { Field, ID, Int, ObjectType, registerEnumType } from 'type-graphql';
import { connectionOf } from '../../graphql/connection.js';
import { Node } from '../../graphql/node.js';
import { payloadType } from '../../graphql/payload.js';
import { GroupFormat, GroupStatus, GroupType, Weekday } from './group.entity.js';

registerEnumType(GroupType, {
  name: 'GroupType',
  description: 'How membership works over time.',
  valuesConfig: {
    CLOSED: { description: 'A fixed cohort: everyone starts together; enrolment ends at the deadline.' },
    OPEN: { description: 'Rolling: members can join while the group runs.' },
  },
});
registerEnumType(GroupFormat, {
  name: 'GroupFormat',
  description: 'Where the group meets.',
  valuesConfig: { ONLINE: { description: 'By video call.' }, IN_PERSON: { description: 'At `location`.' } },
});
registerEnumType(GroupStatus, {
  name: 'GroupStatus',
  description: 'Lifecycle: DRAFT → OPEN → IN_PROGRESS → COMPLETED, or CANCELLED.',
  valuesConfig: {
    DRAFT: { description: 'Being planned; visible to admins and its therapists only.' },
    OPEN: { description: 'Taking reservations.' },
    IN_PROGRESS: { description: 'Sessions have started.' },
    COMPLETED: { description: 'All sessions are over.' },
    CANCELLED: { description: 'Called off; its reservations were cancelled.' },
  },
});
registerEnumType(Weekday, {
  name: 'Weekday',
  description: 'Day of the week.',
  valuesConfig: Object.fromEntries(
    Object.values(Weekday).map((day) => [day, { description: `${day.charAt(0) + day.slice(1).toLowerCase()}.` }]),
  ) as Record<Weekday, { description: string }>,
});

@ObjectType({ description: 'When a group meets: weekly, at a local time in its time zone.' })
export class GroupSchedule {
  @Field({ description: 'Sessions start on the first `weekday` on or after this date (YYYY-MM-DD).' }) startsOn!: string;
  @Field(() => Weekday, { description: 'Day of the week.' }) weekday!: Weekday;
  @Field({ description: "Local start time, HH:MM, in the group's time zone (the same all year, across daylight-saving changes)." })
  startTime!: string;
  @Field(() => Int, { description: 'Length of each session in minutes.' }) durationMinutes!: number;
  @Field(() => Int, { description: 'Number of sessions.' }) sessionCount!: number;
}

@ObjectType('Group', { implements: Node, description: 'A program run weekly by a lead therapist for a limited number of seats.' })
export class Group {
  @Field(() => ID, { description: 'Global ID.' }) id!: string;
  @Field({ description: 'Title shown in the catalogue.' }) title!: string;
  @Field(() => Int, { description: 'Number of seats.' }) capacity!: number;
  @Field(() => GroupType, { description: 'Closed cohort or rolling.' }) type!: GroupType;
  @Field(() => GroupFormat, { description: 'Online or in person.' }) format!: GroupFormat;
  @Field(() => String, { nullable: true, description: 'Where an in-person group meets; null for online groups.' }) location!: string | null;
  @Field({ description: 'IANA time zone of the schedule, e.g. America/Chicago.' }) timeZone!: string;
  @Field(() => Date, { nullable: true, description: 'Reservations close at this instant; null when they stay open.' })
  enrolmentDeadline!: Date | null;
  @Field(() => Int, { description: 'Cancelling less than this many hours before the next session counts as late.' })
  cancellationWindowHours!: number;
  @Field(() => Int, { description: 'How long a seat is held for a member who has not signed the agreement yet.' }) holdMinutes!: number;
  @Field(() => GroupStatus, { description: 'Lifecycle status.' }) status!: GroupStatus;
  @Field(() => String, { nullable: true, description: 'Why the group was cancelled.' }) cancellationReason!: string | null;
  @Field({ description: 'When the group was created.' }) createdAt!: Date;
  @Field({ description: 'When the group last changed.' }) updatedAt!: Date;
}

export const GroupConnection = connectionOf(Group, 'Group', 'group');

export const GroupPayload = payloadType('GroupPayload', 'Result of a mutation that changes a group.', {
  group: { type: () => Group, description: 'The group after the change.' },
});

@ObjectType('TherapistAssignment', {
  description: "One therapist's time leading or co-leading a group. Access to members' identifiers follows the current ones.",
})
export class TherapistAssignment {
  @Field(() => String, { description: 'LEAD or CO.' }) role!: string;
  @Field({ description: 'When it started.' }) startedAt!: Date;
  @Field({ description: 'Who made it: ADMIN, SYSTEM (the group was created that way) or MIGRATION (it predates the history).' })
  startedBy!: string;
  @Field(() => Date, { nullable: true, description: 'When it ended; null while current.' }) endedAt!: Date | null;
  @Field(() => String, { nullable: true, description: 'Who ended it.' }) endedBy!: string | null;
}
