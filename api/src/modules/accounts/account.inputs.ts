import { z } from 'zod';
import { inputType, shownDefault } from '../../graphql/input-type.js';
import { UserErrorCode } from '../../graphql/user-errors.js';

/** NIST 800-63B favours length over composition rules. */
const PASSWORD_MIN_LENGTH = 12;

/** A new password. Too short is WEAK_PASSWORD; the minimum is published with the input's constraints. */
export const password = z
  .string()
  .max(200, 'At most 200 characters.')
  .refine((s) => s.length >= PASSWORD_MIN_LENGTH, {
    message: `At least ${PASSWORD_MIN_LENGTH} characters.`,
    params: { code: UserErrorCode.WEAK_PASSWORD },
  })
  .meta({ minLength: PASSWORD_MIN_LENGTH });

export const loginSchema = z.object({
  email: z
    .string()
    .trim()
    .max(254)
    .transform((s) => s.toLowerCase()),
  password: z.string().max(200),
  useCookie: shownDefault(z.boolean(), false),
});

export const LoginInput = inputType('LoginInput', 'Credentials to sign in with.', loginSchema, {
  email: 'Account email (case does not matter).',
  password: 'Account password.',
  useCookie:
    "For Kindred's own web apps on its origin: keep the session in an httpOnly cookie and leave `token` null, so no script can read it. API clients leave this false and send the token as a bearer.",
});
export type LoginInput = z.input<typeof loginSchema>;
