import { z } from 'zod';
import { inputType } from '../../graphql/input-type.js';
import { dateOfBirth, email, optionalText, phone, requiredText, timeZone } from '../../graphql/validators.js';
import { password } from '../accounts/index.js';

const emergencyContactSchema = z.object({
  name: requiredText(200),
  phone,
  relationship: optionalText(100).optional().nullable(),
});
inputType('EmergencyContactInput', "A member's emergency contact.", emergencyContactSchema, {
  name: "The contact's name.",
  phone: "The contact's phone number, international format.",
  relationship: 'How the contact relates to the member.',
});

export const registerMemberSchema = z.object({
  displayName: requiredText(60),
  pronouns: optionalText(40).optional().nullable(),
  timeZone,
  legalName: requiredText(200),
  email,
  phone: phone.optional().nullable(),
  dateOfBirth: dateOfBirth.optional().nullable(),
  emergencyContact: emergencyContactSchema.optional().nullable(),
  password: password.optional().nullable(),
});
export const RegisterMemberInput = inputType(
  'RegisterMemberInput',
  'A new member. Partners register the members they refer, admins anyone; a person may register themself with a password.',
  registerMemberSchema,
  {
    displayName: 'Name to be known by in groups (not an identifier; first name or a nickname).',
    pronouns: 'Pronouns, e.g. "she/her".',
    timeZone: 'IANA time zone, e.g. Europe/London.',
    legalName: 'Legal name (personal identifier).',
    email: 'Email (personal identifier); for a person registering themself, also the sign-in address.',
    phone: 'Phone, international format (personal identifier).',
    dateOfBirth: 'Date of birth, YYYY-MM-DD (personal identifier).',
    emergencyContact: 'Emergency contact (personal identifier).',
    password:
      'Only for a person registering themself (no credentials): the password of its own sign-in, usable once the link mailed to `email` is followed. A partner or an admin never sends one.',
  },
);
export type RegisterMemberInput = z.input<typeof registerMemberSchema>;

export const requestMemberSignInSchema = z.object({ email });
export const RequestMemberSignInInput = inputType(
  'RequestMemberSignInInput',
  'The address a person registered with, to get its own sign-in.',
  requestMemberSignInSchema,
  { email: 'The address; the answer is the same whatever it is, and the link goes only to it.' },
);
export type RequestMemberSignInInput = z.input<typeof requestMemberSignInSchema>;

export const claimMemberSignInSchema = z.object({
  token: z.string().trim().min(1, 'Required.').max(200, 'At most 200 characters.'),
  password,
});
export const ClaimMemberSignInInput = inputType(
  'ClaimMemberSignInInput',
  "A member's own sign-in, made from the link mailed to its address.",
  claimMemberSignInSchema,
  { token: 'The secret from the link (after `#token=`).', password: 'The password to sign in with from now on.' },
);
export type ClaimMemberSignInInput = z.input<typeof claimMemberSignInSchema>;
