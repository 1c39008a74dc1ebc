import { GraphQLError } from 'graphql';
import { Field, ObjectType, registerEnumType } from 'type-graphql';
import type { z } from 'zod';
import { badInput, ErrorCode } from './errors.js';

/** Stable codes of business refusals and invalid input, returned in payloads' `userErrors`. */
export enum UserErrorCode {
  REQUIRED = 'REQUIRED',
  TOO_LONG = 'TOO_LONG',
  OUT_OF_RANGE = 'OUT_OF_RANGE',
  INVALID_FORMAT = 'INVALID_FORMAT',
  INVALID_EMAIL = 'INVALID_EMAIL',
  INVALID_PHONE = 'INVALID_PHONE',
  INVALID_DATE = 'INVALID_DATE',
  INVALID_DATE_OF_BIRTH = 'INVALID_DATE_OF_BIRTH',
  INVALID_TIME = 'INVALID_TIME',
  INVALID_TIME_ZONE = 'INVALID_TIME_ZONE',
  INVALID_ID = 'INVALID_ID',
  NOT_FOUND = 'NOT_FOUND',
  EMAIL_TAKEN = 'EMAIL_TAKEN',
  WEAK_PASSWORD = 'WEAK_PASSWORD',
  INVALID_CREDENTIALS = 'INVALID_CREDENTIALS',
  INVALID_STATE = 'INVALID_STATE',
  PROGRAM_NOT_PUBLISHED = 'PROGRAM_NOT_PUBLISHED',
  CAPACITY_BELOW_TAKEN = 'CAPACITY_BELOW_TAKEN',
  DUPLICATE = 'DUPLICATE',
  GROUP_NOT_OPEN = 'GROUP_NOT_OPEN',
  ENROLMENT_CLOSED = 'ENROLMENT_CLOSED',
  ALREADY_RESERVED = 'ALREADY_RESERVED',
  RESERVATION_NOT_ACTIVE = 'RESERVATION_NOT_ACTIVE',
  NOT_IN_GROUP = 'NOT_IN_GROUP',
  IDEMPOTENCY_KEY_REUSED = 'IDEMPOTENCY_KEY_REUSED',
  INVALID_TOKEN = 'INVALID_TOKEN',
  NOT_APPROVED = 'NOT_APPROVED',
  SECOND_ADMIN_REQUIRED = 'SECOND_ADMIN_REQUIRED',
  ONE_TIME_CODE_REQUIRED = 'ONE_TIME_CODE_REQUIRED',
  INVALID_ONE_TIME_CODE = 'INVALID_ONE_TIME_CODE',
  SECOND_FACTOR_SETUP_REQUIRED = 'SECOND_FACTOR_SETUP_REQUIRED',
}

registerEnumType(UserErrorCode, {
  name: 'UserErrorCode',
  description: 'Why a mutation refused its input. Codes are stable; messages are for people and may change.',
  valuesConfig: {
    REQUIRED: { description: 'A required value is missing or blank.' },
    TOO_LONG: { description: 'A text is longer than allowed.' },
    OUT_OF_RANGE: { description: 'A number or list size is outside the allowed range.' },
    INVALID_FORMAT: { description: 'A value does not have the expected format.' },
    INVALID_EMAIL: { description: 'Not a valid email address.' },
    INVALID_PHONE: { description: 'Not a valid phone number (international format, e.g. +44 20 7946 0958).' },
    INVALID_DATE: { description: 'Not a valid calendar date (YYYY-MM-DD).' },
    INVALID_DATE_OF_BIRTH: { description: 'A date of birth in the future or implausibly far in the past.' },
    INVALID_TIME: { description: 'Not a valid local time (HH:MM, 24-hour).' },
    INVALID_TIME_ZONE: { description: 'Not an IANA time zone name such as Europe/Berlin.' },
    INVALID_ID: { description: 'Not a valid ID, or the ID of another type of object.' },
    NOT_FOUND: { description: 'No object with this ID that you may see.' },
    EMAIL_TAKEN: { description: 'An account already signs in with this email (told only to whoever follows a link mailed to it).' },
    WEAK_PASSWORD: { description: 'The password is too short (at least 12 characters).' },
    INVALID_CREDENTIALS: { description: 'The email and password do not match an account.' },
    INVALID_STATE: { description: 'The object is not in a state that allows this change.' },
    PROGRAM_NOT_PUBLISHED: { description: 'Groups can only be created for published programs.' },
    CAPACITY_BELOW_TAKEN: { description: 'Capacity cannot be lowered below the seats already taken.' },
    DUPLICATE: { description: 'The same value appears twice where it must be unique.' },
    GROUP_NOT_OPEN: { description: 'The group does not take reservations (draft, closed cohort already started, completed or cancelled).' },
    ENROLMENT_CLOSED: { description: "The group's enrolment deadline has passed." },
    ALREADY_RESERVED: { description: 'The member already holds, has or is waitlisted for a seat in this group.' },
    RESERVATION_NOT_ACTIVE: { description: 'The reservation is already cancelled, expired or removed.' },
    NOT_IN_GROUP: { description: "The member has no seat in this session's group." },
    IDEMPOTENCY_KEY_REUSED: { description: 'This idempotency key was already used by you for a different request.' },
    INVALID_TOKEN: { description: 'The emailed link is not valid any more: used, expired, or replaced by a newer one. Ask for a new one.' },
    NOT_APPROVED: { description: "A staff account that waits for a second admin's approval cannot sign in yet." },
    SECOND_ADMIN_REQUIRED: {
      description: 'A staff account must be approved by an admin other than the one who invited it (and not by itself).',
    },
    ONE_TIME_CODE_REQUIRED: {
      description: 'The password was right; now send `oneTimeCode` from the authenticator app (or a recovery code).',
    },
    INVALID_ONE_TIME_CODE: { description: 'The code is wrong, expired, or was already used.' },
    SECOND_FACTOR_SETUP_REQUIRED: {
      description:
        'Staff must use a second factor here: add `secondFactorSetup` (in the payload) to an authenticator app, then sign in again with its code as `oneTimeCode`.',
    },
  },
});

@ObjectType({ description: 'A reason a mutation refused its input, pointing at the input field concerned.' })
export class UserError {
  @Field(() => UserErrorCode, { description: 'Stable, machine-readable reason.' })
  code!: UserErrorCode;

  @Field(() => [String], {
    nullable: true,
    description: 'Path to the input field concerned, e.g. ["input", "email"]; null when it concerns the whole input.',
  })
  field!: string[] | null;

  @Field({ description: 'Explanation for a person. Never contains personal identifiers.' })
  message!: string;
}

const userError = (code: UserErrorCode, field: string[] | null, message: string): UserError =>
  Object.assign(new UserError(), { code, field, message });

/**
 * Thrown by services to refuse a mutation; resolvers turn it into `userErrors` (see `payload`).
 * Where no payload catches it (a query validating its arguments), it is a top-level
 * BAD_USER_INPUT whose `reason` is the first user error's code, never an internal error.
 */
export class UserErrors extends GraphQLError {
  constructor(readonly errors: UserError[]) {
    super(errors.map((e) => e.message).join(' '), {
      extensions: { code: ErrorCode.BAD_USER_INPUT, reason: errors[0]?.code },
    });
  }
}

export const refuse = (code: UserErrorCode, field: string[] | null, message: string): never => {
  throw new UserErrors([userError(code, field, message)]);
};

/**
 * Validates a mutation input with a zod schema. Issues become user errors under `["input", …]`;
 * refinements name their code with `params: { code }`.
 */
export function validateInput<S extends z.ZodType>(schema: S, input: unknown): z.output<S> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  throw new UserErrors(result.error.issues.map((issue) => userError(codeOf(issue), ['input', ...issue.path.map(String)], issue.message)));
}

function codeOf(issue: z.core.$ZodIssue): UserErrorCode {
  if (issue.code === 'custom') {
    const code = (issue.params as { code?: UserErrorCode } | undefined)?.code;
    return code ?? UserErrorCode.INVALID_FORMAT;
  }
  if (issue.code === 'too_big') return issue.origin === 'string' ? UserErrorCode.TOO_LONG : UserErrorCode.OUT_OF_RANGE;
  if (issue.code === 'too_small') return issue.origin === 'string' ? UserErrorCode.REQUIRED : UserErrorCode.OUT_OF_RANGE;
  if (issue.code === 'invalid_format' && issue.format === 'email') return UserErrorCode.INVALID_EMAIL;
  return UserErrorCode.INVALID_FORMAT;
}

/**
 * Validates a query argument with a zod schema. A query has no payload for user errors: an
 * invalid argument is a top-level BAD_USER_INPUT whose message names each field under `name`
 * and whose reason is the first user-error code (messages never repeat the submitted value).
 */
export function validateArgument<S extends z.ZodType>(schema: S, value: unknown, name: string): z.output<S> {
  try {
    return validateInput(schema, value);
  } catch (error) {
    if (!(error instanceof UserErrors)) throw error;
    const message = error.errors.map((e) => `${[name, ...(e.field ?? []).slice(1)].join('.')}: ${e.message}`).join(' ');
    throw badInput(message, error.errors[0]?.code);
  }
}
