import { useConnection } from '@/composables/use-connection';
import { useMutationForm } from '@/composables/use-mutation-form';
import { CreateTherapistDocument, type CreateTherapistInput, TherapistListDocument } from '@/gql/graphql';

/** Mirrors the API's createTherapist schema (api/src/modules/therapists/therapist.inputs.ts). */
export const THERAPIST_LIMITS = {
  email: 254,
  password: { min: 12, max: 200 },
  displayName: 120,
  credentials: 200,
  bio: 4000,
  timeZone: 64,
} as const;

const THERAPIST_FIELDS = ['email', 'password', 'displayName', 'credentials', 'bio', 'timeZone'] as const;

export type TherapistDraft = Record<(typeof THERAPIST_FIELDS)[number], string>;

export function emptyTherapistDraft(timeZone = ''): TherapistDraft {
  return { email: '', password: '', displayName: '', credentials: '', bio: '', timeZone };
}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** Checks the form before anything is sent; keys match the API's userError fields. */
export function validateTherapist(input: CreateTherapistInput): Record<string, string | undefined> {
  const L = THERAPIST_LIMITS;
  const email = input.email.trim();
  const text = (value: string | null | undefined, what: string, max: number, optional = false) => {
    const v = (value ?? '').trim();
    if (!v) return optional ? undefined : `Enter ${what}.`;
    return v.length > max ? `At most ${max} characters.` : undefined;
  };
  return {
    email: !email
      ? 'Enter an email address.'
      : email.length > L.email
        ? `At most ${L.email} characters.`
        : EMAIL.test(email)
          ? undefined
          : 'Enter a valid email address.',
    password:
      input.password.length < L.password.min
        ? `At least ${L.password.min} characters.`
        : input.password.length > L.password.max
          ? `At most ${L.password.max} characters.`
          : undefined,
    displayName: text(input.displayName, 'the name shown to members', L.displayName),
    credentials: text(input.credentials, 'the professional credentials', L.credentials),
    bio: text(input.bio, 'a biography', L.bio, true),
    timeZone: input.timeZone ? undefined : 'Choose a time zone.',
  };
}

export function toCreateTherapistInput(draft: TherapistDraft): CreateTherapistInput {
  return {
    email: draft.email.trim(),
    password: draft.password,
    displayName: draft.displayName.trim(),
    credentials: draft.credentials.trim(),
    bio: draft.bio.trim(),
    timeZone: draft.timeZone,
  };
}

export function useTherapistList() {
  return useConnection({ query: TherapistListDocument, connection: (data) => data.therapists, pageSize: 20 });
}

export function useCreateTherapist() {
  return useMutationForm(CreateTherapistDocument, {
    payload: (data) => data.createTherapist,
    fields: THERAPIST_FIELDS,
    validate: (variables) => validateTherapist(variables.input),
  });
}
