import { Field, ID, InputType } from 'type-graphql';
import { z } from 'zod';
import { dateOfBirth, email, globalId, optionalText, phone, requiredText, timeZone } from '../../graphql/validators.js';
import { password } from '../accounts/index.js';

@InputType({ description: "A member's emergency contact." })
export class EmergencyContactInput {
  @Field({ description: "The contact's name." }) name!: string;
  @Field({ description: "The contact's phone number, international format." }) phone!: string;
  @Field({ nullable: true, description: 'How the contact relates to the member.' }) relationship?: string;
}

@InputType({ description: 'A new member. Partners register the members they refer; a person may register themself with a password.' })
export class RegisterMemberInput {
  @Field({ description: 'Name to be known by in groups (not an identifier; first name or a nickname).' }) displayName!: string;
  @Field({ nullable: true, description: 'Pronouns, e.g. "she/her".' }) pronouns?: string;
  @Field({ description: 'IANA time zone, e.g. Europe/London.' }) timeZone!: string;
  @Field({ description: 'Legal name (personal identifier).' }) legalName!: string;
  @Field({ description: 'Email (personal identifier); also the sign-in email when a password is given.' }) email!: string;
  @Field({ nullable: true, description: 'Phone, international format (personal identifier).' }) phone?: string;
  @Field({ nullable: true, description: 'Date of birth, YYYY-MM-DD (personal identifier).' }) dateOfBirth?: string;
  @Field(() => EmergencyContactInput, { nullable: true, description: 'Emergency contact (personal identifier).' })
  emergencyContact?: EmergencyContactInput;
  @Field({ nullable: true, description: 'Password for a sign-in account, at least 12 characters. Required when registering yourself.' })
  password?: string;
}

const emergencyContact = z.object({
  name: requiredText(200),
  phone,
  relationship: optionalText(100).optional().nullable(),
});

export const registerMemberSchema = z.object({
  displayName: requiredText(60),
  pronouns: optionalText(40).optional().nullable(),
  timeZone,
  legalName: requiredText(200),
  email,
  phone: phone.optional().nullable(),
  dateOfBirth: dateOfBirth.optional().nullable(),
  emergencyContact: emergencyContact.optional().nullable(),
  password: password.optional().nullable(),
});

@InputType({ description: 'A sign-in account for a member registered earlier without one.' })
export class CreateMemberAccountInput {
  @Field(() => ID, { description: 'The member.' }) memberId!: string;
  @Field({ description: "Password, at least 12 characters. The sign-in email is the member's email." }) password!: string;
}

export const createMemberAccountSchema = z.object({ memberId: globalId('Member'), password });
