import { Field, ID, InputType } from 'type-graphql';
import { z } from 'zod';
import { globalId, requiredText } from '../../graphql/validators.js';

@InputType({ description: 'A new partner organisation.' })
export class CreatePartnerInput {
  @Field({ description: 'Organisation name.' }) name!: string;
}

export const createPartnerSchema = z.object({ name: requiredText(200) });

@InputType({ description: 'A new API key for a partner.' })
export class CreatePartnerApiKeyInput {
  @Field(() => ID, { description: 'The partner.' }) partnerId!: string;
  @Field({ description: 'What the key is for, e.g. "production app".' }) label!: string;
}

export const createPartnerApiKeySchema = z.object({ partnerId: globalId('Partner'), label: requiredText(100) });

@InputType({ description: 'The key to revoke.' })
export class RevokePartnerApiKeyInput {
  @Field(() => ID, { description: 'The key.' }) apiKeyId!: string;
}

export const revokePartnerApiKeySchema = z.object({ apiKeyId: globalId('PartnerApiKey') });
