import { constraintOf } from '@/composables/input-constraints';
import { useConnection } from '@/composables/use-connection';
import { useMutationForm } from '@/composables/use-mutation-form';
import { CreateTherapistDocument, type CreateTherapistInput, TherapistListDocument } from '@/gql/graphql';

const THERAPIST_FIELDS = ['email', 'displayName', 'credentials', 'bio', 'timeZone'] as const;

export type TherapistDraft = Record<(typeof THERAPIST_FIELDS)[number], string>;

export function emptyTherapistDraft(timeZone = ''): TherapistDraft {
  return { email: '', displayName: '', credentials: '', bio: '', timeZone };
}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** Checks the form before anything is sent, against the API's bounds; keys match the API's userError fields. */
export function validateTherapist(input: CreateTherapistInput): Record<string, string | undefined> {
  const emailMax = constraintOf('CreateTherapistInput', 'email').maxLength;
  const email = input.email.trim();
  const text = (value: string | null | undefined, what: string, max: number, optional = false) => {
    const v = (value ?? '').trim();
    if (!v) return optional ? undefined : `Enter ${what}.`;
    return v.length > max ? `At most ${max} characters.` : undefined;
  };
  return {
    email: !email
      ? 'Enter an email address.'
      : email.length > emailMax
        ? `At most ${emailMax} characters.`
        : EMAIL.test(email)
          ? undefined
          : 'Enter a valid email address.',
    displayName: text(input.displayName, 'the name shown to members', constraintOf('CreateTherapistInput', 'displayName').maxLength),
    credentials: text(input.credentials, 'the professional credentials', constraintOf('CreateTherapistInput', 'credentials').maxLength),
    bio: text(input.bio, 'a biography', constraintOf('CreateTherapistInput', 'bio').maxLength, true),
    timeZone: input.timeZone ? undefined : 'Choose a time zone.',
  };
}

export function toCreateTherapistInput(draft: TherapistDraft): CreateTherapistInput {
  return {
    email: draft.email.trim(),
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
