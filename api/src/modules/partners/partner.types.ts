import { Field, ID, ObjectType } from 'type-graphql';
import { connectionOf } from '../../graphql/connection.js';
import { Node } from '../../graphql/node.js';
import { payloadType } from '../../graphql/payload.js';

@ObjectType('PartnerApiKey', {
  implements: Node,
  description: "A partner's API key. The secret itself is only ever shown once, at creation.",
})
export class PartnerApiKey {
  @Field(() => ID, { description: 'Global ID.' }) id!: string;
  @Field({ description: 'What the key is for, e.g. "production app".' }) label!: string;
  @Field({ description: 'First characters of the secret, to tell keys apart.' }) prefix!: string;
  @Field({ description: 'When the key was issued.' }) createdAt!: Date;
  @Field(() => Date, { nullable: true, description: 'When the key was revoked; null while it works.' }) revokedAt!: Date | null;
  @Field(() => Date, { nullable: true, description: 'Last time the key was used (refreshed at most every five minutes).' })
  lastUsedAt!: Date | null;
}

@ObjectType('Partner', { implements: Node, description: 'An organisation whose app refers members and reserves seats for them.' })
export class Partner {
  @Field(() => ID, { description: 'Global ID.' }) id!: string;
  @Field({ description: 'Organisation name.' }) name!: string;
  @Field({ description: 'When the partner was added.' }) createdAt!: Date;
}

export const PartnerConnection = connectionOf(Partner, 'Partner', 'partner');

export const CreatePartnerPayload = payloadType('CreatePartnerPayload', 'Result of `createPartner`.', {
  partner: { type: () => Partner, description: 'The new partner.' },
});

export const CreatePartnerApiKeyPayload = payloadType('CreatePartnerApiKeyPayload', 'Result of `createPartnerApiKey`.', {
  apiKey: { type: () => PartnerApiKey, description: 'The new key.' },
  secret: {
    type: () => String,
    description: 'The secret to send as `Authorization: Bearer <secret>`. Shown only in this response; Kindred keeps only its hash.',
  },
});

export const RevokePartnerApiKeyPayload = payloadType('RevokePartnerApiKeyPayload', 'Result of `revokePartnerApiKey`.', {
  apiKey: { type: () => PartnerApiKey, description: 'The revoked key.' },
});
