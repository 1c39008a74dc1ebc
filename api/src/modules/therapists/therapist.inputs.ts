import { z } from 'zod';
import { inputType } from '../../graphql/input-type.js';
import { email, optionalText, requiredText, timeZone } from '../../graphql/validators.js';
import { password } from '../accounts/index.js';

export const createTherapistSchema = z.object({
  email,
  password,
  displayName: requiredText(120),
  credentials: requiredText(200),
  bio: optionalText(4000).default(''),
  timeZone,
});

export const CreateTherapistInput = inputType(
  'CreateTherapistInput',
  'A therapist and the account they sign in with.',
  createTherapistSchema,
  {
    email: 'Sign-in email.',
    password: 'Initial password.',
    displayName: 'Name shown to members.',
    credentials: 'Professional credentials.',
    bio: 'Short professional biography.',
    timeZone: 'IANA time zone, e.g. America/New_York.',
  },
);
export type CreateTherapistInput = z.input<typeof createTherapistSchema>;
