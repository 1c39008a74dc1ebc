import { useQuery } from '@urql/vue';
import { type MaybeRefOrGetter, toValue } from 'vue';
import { emailProblem } from '@/composables/email';
import { titleCase } from '@/composables/format';
import { constraintOf } from '@/composables/input-constraints';
import { useApproval } from '@/composables/use-approval';
import { useConnection } from '@/composables/use-connection';
import { useMutationForm } from '@/composables/use-mutation-form';
import {
  ApproveTherapistDocument,
  CreateTherapistDocument,
  type CreateTherapistInput,
  TherapistDetailDocument,
  type TherapistDetailQuery,
  TherapistListDocument,
} from '@/gql/graphql';

const THERAPIST_FIELDS = ['email', 'displayName', 'credentials', 'bio', 'timeZone'] as const;

export type TherapistDraft = Record<(typeof THERAPIST_FIELDS)[number], string>;

export function emptyTherapistDraft(timeZone = ''): TherapistDraft {
  return { email: '', displayName: '', credentials: '', bio: '', timeZone };
}

/** Checks the form before anything is sent, against the API's bounds; keys match the API's userError fields. */
export function validateTherapist(input: CreateTherapistInput): Record<string, string | undefined> {
  const text = (value: string | null | undefined, what: string, max: number, optional = false) => {
    const v = (value ?? '').trim();
    if (!v) return optional ? undefined : `Enter ${what}.`;
    return v.length > max ? `At most ${max} characters.` : undefined;
  };
  return {
    email: emailProblem(input.email, constraintOf('CreateTherapistInput', 'email').maxLength),
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

export function useTherapist(id: MaybeRefOrGetter<string>) {
  return useQuery({ query: TherapistDetailDocument, variables: () => ({ id: toValue(id) }) });
}

export function useApproveTherapist() {
  return useApproval(ApproveTherapistDocument, (data) => data.approveTherapist);
}

type TherapistDetail = NonNullable<TherapistDetailQuery['therapist']>;

export interface AssignmentRow {
  key: string;
  /** Null when the viewer may not see the group (a draft the therapist no longer leads). */
  group: { id: string; title: string; status: string } | null;
  role: string;
  startedAt: string;
  startedBy: string;
  endedAt: string | null;
  endedBy: string | null;
}

/** Who made or ended an assignment: the admin's address when an admin did, else how ("System"). */
const byWhom = (how: string | null, admin: { email: string } | null): string | null => admin?.email ?? (how ? titleCase(how) : null);

/** The therapist's assignments, newest first (groups it left included), naming who made and ended them. */
export function assignmentHistory(therapist: Pick<TherapistDetail, 'assignments'>): AssignmentRow[] {
  return (therapist.assignments ?? [])
    .map((assignment, index) => ({
      key: `${assignment.group?.id ?? 'hidden'}:${index}`,
      group: assignment.group ?? null,
      role: titleCase(assignment.role),
      startedAt: assignment.startedAt,
      startedBy: byWhom(assignment.startedBy, assignment.startedByAdmin) ?? '—',
      endedAt: assignment.endedAt,
      endedBy: assignment.endedAt ? byWhom(assignment.endedBy, assignment.endedByAdmin) : null,
    }))
    .sort((a, b) => b.startedAt.localeCompare(a.startedAt));
}
