/**
 * zod building blocks for mutation inputs. Messages never repeat the submitted value, so a
 * refused identifier cannot leak back through an error.
 */
import { isValidPhoneNumber, parsePhoneNumberWithError } from 'libphonenumber-js';
import { DateTime, IANAZone } from 'luxon';
import { z } from 'zod';
import { decodeGlobalId, type NodeTypeName } from './ids.js';
import { idString } from './input-type.js';
import { UserErrorCode } from './user-errors.js';

const code = (c: UserErrorCode) => ({ params: { code: c } });

/** Trimmed text, 1..max characters. */
export const requiredText = (max: number) => z.string().trim().min(1, 'Required.').max(max, `At most ${max} characters.`);

/** Trimmed text, 0..max characters. */
export const optionalText = (max: number) => z.string().trim().max(max, `At most ${max} characters.`);

export const email = z
  .string()
  .trim()
  .max(254, 'At most 254 characters.')
  .pipe(z.email('Not a valid email address.'))
  .transform((s) => s.toLowerCase());

/** Stored in E.164 so every phone number reads the same. */
export const phone = z
  .string()
  .trim()
  .max(40, { message: 'At most 40 characters.', abort: true })
  .refine((s) => isValidPhoneNumber(s), { message: 'Not a valid international phone number.', ...code(UserErrorCode.INVALID_PHONE) })
  .transform((s) => parsePhoneNumberWithError(s).number);

export const isoDate = z.string().refine((s) => /^\d{4}-\d{2}-\d{2}$/.test(s) && DateTime.fromISO(s, { zone: 'UTC' }).isValid, {
  message: 'Not a valid date (YYYY-MM-DD).',
  ...code(UserErrorCode.INVALID_DATE),
  // Refinements chained after this one (a date of birth's range) only judge real dates.
  abort: true,
});

/** A date of birth: a real date, not in the future, and not before 1900. */
export const dateOfBirth = isoDate.refine((s) => s >= '1900-01-01' && s <= DateTime.utc().toISODate()!, {
  message: 'A date of birth cannot be in the future or before 1900.',
  ...code(UserErrorCode.INVALID_DATE_OF_BIRTH),
});

export const localTime = z.string().refine((s) => /^([01]\d|2[0-3]):[0-5]\d$/.test(s), {
  message: 'Not a valid time (HH:MM, 24-hour).',
  ...code(UserErrorCode.INVALID_TIME),
});

export const timeZone = z
  .string()
  .max(64, { message: 'At most 64 characters.', abort: true })
  .refine((s) => (s.includes('/') || s === 'UTC' ? IANAZone.isValidZone(s) : false), {
    message: 'Not an IANA time zone name such as Europe/Berlin.',
    ...code(UserErrorCode.INVALID_TIME_ZONE),
  });

/** A global ID of one of `types`, turned into its type and the row's UUID. */
export const globalIdOf = <T extends NodeTypeName>(...types: T[]) =>
  idString().transform((s, ctx) => {
    const decoded = decodeGlobalId(s);
    if (!decoded || !(types as string[]).includes(decoded.type)) {
      ctx.addIssue({ code: 'custom', message: `Not a valid ${types.join(' or ')} ID.`, params: { code: UserErrorCode.INVALID_ID } });
      return z.NEVER;
    }
    return { type: decoded.type as T, id: decoded.id };
  });

/** A global ID of `type`, turned into the row's UUID. */
export const globalId = (type: NodeTypeName) => globalIdOf(type).transform((decoded) => decoded.id);

export const intInRange = (min: number, max: number) => z.number().int().min(min, `At least ${min}.`).max(max, `At most ${max}.`);
