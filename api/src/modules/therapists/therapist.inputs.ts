import { Field, InputType } from 'type-graphql';
import { z } from 'zod';
import { email, optionalText, requiredText, timeZone } from '../../graphql/validators.js';
import { password } from '../accounts/index.js';

@InputType({ description: 'A therapist and the account they sign in with.' })
export class CreateTherapistInput {
  @Field({ description: 'Sign-in email.' }) email!: string;
  @Field({ description: 'Initial password, at least 12 characters.' }) password!: string;
  @Field({ description: 'Name shown to members.' }) displayName!: string;
  @Field({ description: 'Professional credentials.' }) credentials!: string;
  @Field({ nullable: true, description: 'Short professional biography.' }) bio?: string;
  @Field({ description: 'IANA time zone, e.g. America/New_York.' }) timeZone!: string;
}

export const createTherapistSchema = z.object({
  email,
  password,
  displayName: requiredText(120),
  credentials: requiredText(200),
  bio: optionalText(4000).default(''),
  timeZone,
});
