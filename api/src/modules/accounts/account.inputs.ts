import { Field, InputType } from 'type-graphql';
import { z } from 'zod';
import { UserErrorCode } from '../../graphql/user-errors.js';

/** At least 12 characters (NIST 800-63B favours length over composition rules). */
export const password = z
  .string()
  .max(200, 'At most 200 characters.')
  .refine((s) => s.length >= 12, { message: 'At least 12 characters.', params: { code: UserErrorCode.WEAK_PASSWORD } });

@InputType({ description: 'Credentials to sign in with.' })
export class LoginInput {
  @Field({ description: 'Account email (case does not matter).' }) email!: string;
  @Field({ description: 'Account password.' }) password!: string;
  @Field({
    defaultValue: false,
    description:
      "For Kindred's own web apps on its origin: keep the session in an httpOnly cookie and leave `token` null, so no script can read it. API clients leave this false and send the token as a bearer.",
  })
  useCookie!: boolean;
}

export const loginSchema = z.object({
  email: z
    .string()
    .trim()
    .max(254)
    .transform((s) => s.toLowerCase()),
  password: z.string().max(200),
  useCookie: z.boolean().default(false),
});
