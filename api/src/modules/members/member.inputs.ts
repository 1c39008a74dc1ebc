import { z } from 'zod';
import { inputType } from '../../graphql/input-type.js';
import { dateOfBirth, email, globalId, optionalText, phone, requiredText, timeZone } from '../../graphql/validators.js';
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
  'A new member. Partners register the members they refer; a person may register themself with a password.',
  registerMemberSchema,
  {
    displayName: 'Name to be known by in groups (not an identifier; first name or a nickname).',
    pronouns: 'Pronouns, e.g. "she/her".',
    timeZone: 'IANA time zone, e.g. Europe/London.',
    legalName: 'Legal name (personal identifier).',
    email: 'Email (personal identifier); also the sign-in email when a password is given.',
    phone: 'Phone, international format (personal identifier).',
    dateOfBirth: 'Date of birth, YYYY-MM-DD (personal identifier).',
    emergencyContact: 'Emergency contact (personal identifier).',
    password: 'Password for a sign-in account. Required when registering yourself.',
  },
);
export type RegisterMemberInput = z.input<typeof registerMemberSchema>;

export const createMemberAccountSchema = z.object({ memberId: globalId('Member'), password });
export const CreateMemberAccountInput = inputType(
  'CreateMemberAccountInput',
  'A sign-in account for a member registered earlier without one.',
  createMemberAccountSchema,
  {
    memberId: 'The member.',
    password: "Password. The sign-in email is the member's email.",
  },
);
export type CreateMemberAccountInput = z.input<typeof createMemberAccountSchema>;
