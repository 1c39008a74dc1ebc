import { Field, ID, ObjectType } from 'type-graphql';
import { connectionOf } from '../../graphql/connection.js';
import { Node } from '../../graphql/node.js';
import { payloadType } from '../../graphql/payload.js';

@ObjectType('Therapist', {
  implements: Node,
  description: 'A licensed clinician who leads groups and authors programs. Public professional profile.',
})
export class Therapist {
  @Field(() => ID, { description: 'Global ID.' }) id!: string;
  @Field({ description: 'Name shown to members, e.g. "Dr. Amara Okafor".' }) displayName!: string;
  @Field({ description: 'Professional credentials, e.g. "Licensed Clinical Social Worker".' }) credentials!: string;
  @Field({ description: 'Short professional biography (plain text).' }) bio!: string;
  @Field({ description: "The therapist's own IANA time zone." }) timeZone!: string;
  @Field({ description: 'When the therapist was added.' }) createdAt!: Date;
}

export const TherapistConnection = connectionOf(Therapist, 'Therapist', 'therapist');

export const CreateTherapistPayload = payloadType('CreateTherapistPayload', 'Result of `createTherapist`.', {
  therapist: {
    type: () => Therapist,
    description: 'The new therapist: invited by mail; it signs in once it chose a password and a second admin approved it.',
  },
});

export const ApproveTherapistPayload = payloadType('ApproveTherapistPayload', 'Result of `approveTherapist`.', {
  therapist: { type: () => Therapist, description: 'The therapist whose account was approved.' },
});
