import { z } from 'zod';
import { inputType } from '../../graphql/input-type.js';
import { globalId } from '../../graphql/validators.js';

export const eraseMemberSchema = z.object({ memberId: globalId('Member') });
export const EraseMemberInput = inputType('EraseMemberInput', 'The member to erase.', eraseMemberSchema, {
  memberId: 'The member: yourself, a member your partner organisation referred, or (admins) anyone.',
});
export type EraseMemberInput = z.input<typeof eraseMemberSchema>;
