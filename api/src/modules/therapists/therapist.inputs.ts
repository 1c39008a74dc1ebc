import { z } from 'zod';
import { inputType } from '../../graphql/input-type.js';
import { email, globalId, optionalText, requiredText, timeZone } from '../../graphql/validators.js';

export const createTherapistSchema = z.object({
  email,
  displayName: requiredText(120),
  credentials: requiredText(200),
  bio: optionalText(4000).default(''),
  timeZone,
});

export const CreateTherapistInput = inputType(
  'CreateTherapistInput',
  'A therapist, and the address their invitation goes to.',
  createTherapistSchema,
  {
    email: 'Where the invitation goes; the therapist chooses its own password from it. The answer is the same whatever the address.',
    displayName: 'Name shown to members.',
    credentials: 'Professional credentials.',
    bio: 'Short professional biography.',
    timeZone: 'IANA time zone, e.g. America/New_York.',
  },
);
export type CreateTherapistInput = z.input<typeof createTherapistSchema>;

export const approveTherapistSchema = z.object({ therapistId: globalId('Therapist') });
export const ApproveTherapistInput = inputType('ApproveTherapistInput', 'A therapist whose account to approve.', approveTherapistSchema, {
  therapistId: 'The therapist; an admin other than the one who invited it approves.',
});
export type ApproveTherapistInput = z.input<typeof approveTherapistSchema>;
