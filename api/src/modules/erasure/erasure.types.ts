import { Field, ObjectType, registerEnumType } from 'type-graphql';
import { payloadType } from '../../graphql/payload.js';

export enum ErasureStatus {
  PENDING = 'PENDING',
  DONE = 'DONE',
}
registerEnumType(ErasureStatus, {
  name: 'ErasureStatus',
  description: 'Where an erasure stands.',
  valuesConfig: {
    PENDING: { description: 'Asked for; waits for an admin (a second admin when an admin asked).' },
    DONE: { description: "Done: the member's data key is destroyed and its identifiers can never be read again." },
  },
});

export enum ErasureRequester {
  MEMBER = 'MEMBER',
  ADMIN = 'ADMIN',
  PARTNER = 'PARTNER',
}
registerEnumType(ErasureRequester, {
  name: 'ErasureRequester',
  description: 'Who asked for an erasure.',
  valuesConfig: {
    MEMBER: { description: 'The member itself (done at once).' },
    ADMIN: { description: 'An admin (a second admin approves).' },
    PARTNER: { description: 'The partner that referred the member (an admin approves).' },
  },
});

@ObjectType('MemberErasure', {
  description:
    'An erasure of a member by crypto-shredding: its data key is destroyed, so its identifiers read as null for everyone, its display name becomes "Former member", its seats are released and its pending mails cancelled. Reservations, attendance and the audits stay (they hold no identifier).',
})
export class MemberErasure {
  @Field(() => ErasureStatus, { description: 'Pending or done.' }) status!: ErasureStatus;
  @Field(() => ErasureRequester, { description: 'Who asked for it.' }) requestedBy!: ErasureRequester;
  @Field({ description: 'When it was asked for.' }) requestedAt!: Date;
  @Field(() => Date, { nullable: true, description: 'When it was done; null while pending.' }) completedAt!: Date | null;
}

export const EraseMemberPayload = payloadType('EraseMemberPayload', 'Result of `eraseMember`.', {
  erasure: { type: () => MemberErasure, description: 'The erasure: done, or waiting for an approval.' },
});
