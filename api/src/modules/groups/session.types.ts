import { Field, ID, Int, ObjectType, registerEnumType } from 'type-graphql';
import { Node } from '../../graphql/node.js';
import { SessionStatus } from './session.entity.js';

registerEnumType(SessionStatus, {
  name: 'SessionStatus',
  description: 'Whether a session is still to come, took place, or was called off.',
  valuesConfig: {
    SCHEDULED: { description: 'Planned.' },
    COMPLETED: { description: 'Took place.' },
    CANCELLED: { description: 'Called off (for example because the group was cancelled).' },
  },
});

@ObjectType('Session', { implements: Node, description: "One weekly meeting of a group, generated from the group's schedule." })
export class Session {
  @Field(() => ID, { description: 'Global ID.' }) id!: string;
  @Field(() => Int, { description: 'Order in the group, from 1.' }) position!: number;
  @Field({ description: 'Start, as an instant (UTC).' }) startsAt!: Date;
  @Field({ description: 'End, as an instant (UTC).' }) endsAt!: Date;
  @Field(() => SessionStatus, { description: 'Status.' }) status!: SessionStatus;
}

@ObjectType({ description: 'A session as it would be generated from a schedule (for previews before creating a group).' })
export class PlannedSession {
  @Field(() => Int, { description: 'Order, from 1.' }) position!: number;
  @Field({ description: 'Start, as an instant (UTC).' }) startsAt!: Date;
  @Field({ description: 'End, as an instant (UTC).' }) endsAt!: Date;
  @Field({ description: "Start in the schedule's time zone, ISO 8601 with offset." }) startsAtLocal!: string;
}
