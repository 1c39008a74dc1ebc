import { z } from 'zod';
import { inputType } from '../../graphql/input-type.js';
import { globalId, requiredText } from '../../graphql/validators.js';

export const createPartnerSchema = z.object({ name: requiredText(200) });
export const CreatePartnerInput = inputType('CreatePartnerInput', 'A new partner organisation.', createPartnerSchema, {
  name: 'Organisation name.',
});
export type CreatePartnerInput = z.input<typeof createPartnerSchema>;

export const createPartnerApiKeySchema = z.object({ partnerId: globalId('Partner'), label: requiredText(100) });
export const CreatePartnerApiKeyInput = inputType('CreatePartnerApiKeyInput', 'A new API key for a partner.', createPartnerApiKeySchema, {
  partnerId: 'The partner.',
  label: 'What the key is for, e.g. "production app".',
});
export type CreatePartnerApiKeyInput = z.input<typeof createPartnerApiKeySchema>;

export const revokePartnerApiKeySchema = z.object({ apiKeyId: globalId('PartnerApiKey') });
export const RevokePartnerApiKeyInput = inputType('RevokePartnerApiKeyInput', 'The key to revoke.', revokePartnerApiKeySchema, {
  apiKeyId: 'The key.',
});
export type RevokePartnerApiKeyInput = z.input<typeof revokePartnerApiKeySchema>;
