import { Field, ID, Int, ObjectType, registerEnumType } from 'type-graphql';
import { connectionOf } from '../../graphql/connection.js';
import { Node } from '../../graphql/node.js';
import { payloadType } from '../../graphql/payload.js';
import { AgreementKind, SignatureChannel } from './agreement.entity.js';

registerEnumType(AgreementKind, {
  name: 'AgreementKind',
  description: 'What an agreement is about.',
  valuesConfig: { CONFIDENTIALITY: { description: 'What is said in the group stays in the group.' } },
});

registerEnumType(SignatureChannel, {
  name: 'SignatureChannel',
  description: 'Through whom a signature was recorded.',
  valuesConfig: {
    MEMBER: { description: 'The member signed, signed in as themself.' },
    PARTNER: { description: "The member's partner app recorded the member's signature." },
  },
});

@ObjectType('AgreementVersion', { implements: Node, description: 'One published, immutable text of an agreement.' })
export class AgreementVersion {
  @Field(() => ID, { description: 'Global ID.' }) id!: string;
  @Field(() => Int, { description: 'Version number, 1 for the first.' }) version!: number;
  @Field({ description: 'The text, in Markdown.' }) bodyMarkdown!: string;
  @Field({ description: 'When true, members must sign this version even if they signed an earlier one.' }) requiresResign!: boolean;
  @Field({ description: 'When the version was published.' }) publishedAt!: Date;
}

@ObjectType('Agreement', { implements: Node, description: 'A document members sign before taking a seat, published in versions.' })
export class Agreement {
  @Field(() => ID, { description: 'Global ID.' }) id!: string;
  @Field(() => AgreementKind, { description: 'What the agreement is about.' }) kind!: AgreementKind;
  @Field({ description: 'Title shown to members.' }) title!: string;
  @Field({ description: 'When the agreement was created.' }) createdAt!: Date;
}

export const AgreementConnection = connectionOf(Agreement, 'Agreement', 'agreement');

@ObjectType('Signature', { implements: Node, description: "A member's signature of one agreement version." })
export class Signature {
  @Field(() => ID, { description: 'Global ID.' }) id!: string;
  @Field(() => SignatureChannel, { description: 'Through whom it was recorded.' }) channel!: SignatureChannel;
  @Field({ description: 'When it was signed.' }) signedAt!: Date;
}

export const CreateAgreementPayload = payloadType('CreateAgreementPayload', 'Result of `createAgreement`.', {
  agreement: { type: () => Agreement, description: 'The new agreement, with its version 1.' },
});

export const PublishAgreementVersionPayload = payloadType('PublishAgreementVersionPayload', 'Result of `publishAgreementVersion`.', {
  agreementVersion: { type: () => AgreementVersion, description: 'The new version.' },
});

export const SignAgreementPayload = payloadType('SignAgreementPayload', 'Result of `signAgreement`.', {
  signature: { type: () => Signature, description: 'The signature.' },
});
