import { useQuery } from '@urql/vue';
import { computed, type MaybeRefOrGetter, toValue } from 'vue';
import { useConnection } from '@/composables/use-connection';
import { useMutationForm } from '@/composables/use-mutation-form';
import {
  ArchiveProgramDocument,
  CreateProgramDocument,
  ProgramAgreementOptionsDocument,
  ProgramAuthorOptionsDocument,
  ProgramEditDocument,
  ProgramListDocument,
  type ProgramStatus,
  PublishProgramDocument,
  UpdateProgramDocument,
} from '@/gql/graphql';
import { useAllPages } from '@/composables/use-all-pages';
import { type ProgramDraft, toCreateProgramInput, toUpdateProgramInput, validateProgramDraft } from './program-draft';

export interface ProgramListFilter {
  status: ProgramStatus | null;
  focusArea: string;
}

/** Programs by title, one page of the API's connection at a time. */
export function useProgramList(filter: MaybeRefOrGetter<ProgramListFilter>) {
  return useConnection({
    query: ProgramListDocument,
    variables: () => {
      const { status, focusArea } = toValue(filter);
      return { statuses: status ? [status] : null, focusArea: focusArea.trim() || null };
    },
    connection: (data) => data.programs,
    pageSize: 20,
  });
}

export function useProgram(id: MaybeRefOrGetter<string>) {
  return useQuery({ query: ProgramEditDocument, variables: () => ({ id: toValue(id) }) });
}

/** Every agreement and therapist, for the form's selects (followed page by page). */
export function useProgramFormOptions() {
  const agreements = useAllPages(
    useConnection({ query: ProgramAgreementOptionsDocument, connection: (data) => data.agreements, pageSize: 100 }),
  );
  const authors = useAllPages(useConnection({ query: ProgramAuthorOptionsDocument, connection: (data) => data.therapists, pageSize: 100 }));
  return {
    agreements,
    authors,
    agreementOptions: computed(() => agreements.nodes.value.map((a) => ({ label: a.title, value: a.id }))),
    authorOptions: computed(() => authors.nodes.value.map((t) => ({ label: `${t.displayName} (${t.credentials})`, value: t.id }))),
  };
}

/**
 * Saving a program: the draft is checked first (the same rules as the API), then sent; the
 * API's userErrors come back under the same keys (`title`, `modules.2.title`).
 */
export function useSaveProgram(programId: MaybeRefOrGetter<string | null>) {
  let pending: ProgramDraft | null = null;
  const validate = () => (pending ? validateProgramDraft(pending) : {});
  const create = useMutationForm(CreateProgramDocument, { payload: (data) => data.createProgram, validate });
  const update = useMutationForm(UpdateProgramDocument, { payload: (data) => data.updateProgram, validate });
  const form = computed(() => (toValue(programId) ? update : create));

  async function save(draft: ProgramDraft) {
    pending = draft;
    const id = toValue(programId);
    const payload = id
      ? await update.submit({ input: toUpdateProgramInput(id, draft) })
      : await create.submit({ input: toCreateProgramInput(draft) });
    return payload?.program ?? null;
  }

  return {
    save,
    errors: computed(() => form.value.errors),
    formError: computed(() => form.value.formError.value),
    submitting: computed(() => form.value.submitting.value),
    clearField: (key: string) => form.value.clearField(key),
  };
}

/** DRAFT → PUBLISHED and PUBLISHED → ARCHIVED; refusals ("add a module first") come back as messages. */
export function useProgramStatusChange() {
  const publish = useMutationForm(PublishProgramDocument, { payload: (data) => data.publishProgram });
  const archive = useMutationForm(ArchiveProgramDocument, { payload: (data) => data.archiveProgram });
  const busy = computed(() => publish.submitting.value || archive.submitting.value);
  const error = computed(
    () => publish.formError.value ?? archive.formError.value ?? firstFieldError(publish.errors) ?? firstFieldError(archive.errors),
  );

  async function change(to: 'PUBLISHED' | 'ARCHIVED', id: string): Promise<boolean> {
    publish.clear();
    archive.clear();
    const form = to === 'PUBLISHED' ? publish : archive;
    return (await form.submit({ input: { id } })) !== null;
  }

  return { change, busy, error };
}

/** Status changes only carry the program's ID: a refusal "at input.id" is a message for the whole page. */
function firstFieldError(errors: Readonly<Record<string, string>>): string | null {
  return Object.values(errors)[0] ?? null;
}
