import { GraphQLJSONObject } from 'graphql-scalars';
import { Field, ID, ObjectType, registerEnumType } from 'type-graphql';
import { connectionOf } from '../../graphql/connection.js';
import { Node } from '../../graphql/node.js';

export enum StaffActorKind {
  ADMIN = 'ADMIN',
  THERAPIST = 'THERAPIST',
  PARTNER = 'PARTNER',
  OPERATOR = 'OPERATOR',
}

export enum StaffActionOutcome {
  DONE = 'DONE',
  REFUSED = 'REFUSED',
  FAILED = 'FAILED',
}

registerEnumType(StaffActorKind, {
  name: 'StaffActorKind',
  description: 'Who acted on the platform on somebody else’s behalf.',
  valuesConfig: {
    ADMIN: { description: 'An admin (platform staff).' },
    THERAPIST: { description: 'A therapist.' },
    PARTNER: { description: "A partner organisation's app, with its API key." },
    OPERATOR: { description: 'Someone at the server running an operator command, such as creating the first admin (`actor` is null).' },
  },
});

registerEnumType(StaffActionOutcome, {
  name: 'StaffActionOutcome',
  description: 'How a staff action ended.',
  valuesConfig: {
    DONE: { description: 'The change was made.' },
    REFUSED: { description: 'Refused: invalid input, a business rule, or not allowed (nothing changed).' },
    FAILED: { description: 'An unexpected error (nothing acknowledged).' },
  },
});

@ObjectType('StaffActionChange', { description: 'One object an action changed, with its fields before and after.' })
export class StaffActionChange {
  @Field({ description: 'What kind of object, e.g. "Group" or "Reservation".' }) type!: string;
  @Field({ description: "The object's row id." }) id!: string;
  @Field(() => GraphQLJSONObject, {
    nullable: true,
    description: 'The changed fields before (null when the object was created). Personal identifiers and secrets read "[redacted]".',
  })
  before!: Record<string, unknown> | null;
  @Field(() => GraphQLJSONObject, {
    nullable: true,
    description: 'The changed fields after (null when the object was deleted). Personal identifiers and secrets read "[redacted]".',
  })
  after!: Record<string, unknown> | null;
}

@ObjectType('StaffAction', {
  implements: Node,
  description:
    'One mutation an admin, a therapist or a partner called, whatever came of it. The log is append-only: nobody can change or remove a row.',
})
export class StaffAction {
  @Field(() => ID, { description: 'Global ID.' }) id!: string;
  @Field({ description: 'When it happened.' }) at!: Date;
  @Field(() => StaffActorKind, { description: 'What the actor is.' }) actorKind!: StaffActorKind;
  @Field({ description: 'The mutation called, e.g. "updateGroup".' }) action!: string;
  @Field(() => StaffActionOutcome, { description: 'How it ended.' }) outcome!: StaffActionOutcome;
  @Field(() => String, { nullable: true, description: 'What kind of object it was about, e.g. "Group".' }) subjectType!: string | null;
  @Field({ description: 'The request it was made in (matches the API’s logs).' }) requestId!: string;
}

export const StaffActionConnection = connectionOf(StaffAction, 'StaffAction', 'staff action');
