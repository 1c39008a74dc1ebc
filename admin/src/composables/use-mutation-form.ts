import type { AnyVariables, CombinedError, TypedDocumentNode } from '@urql/core';
import { useMutation } from '@urql/vue';
import { computed, type Ref, reactive, ref } from 'vue';
import { describeGraphQLError, hasCode } from './graphql-errors';

/**
 * Runs one mutation for a form, and puts every refusal where a person will see it.
 *
 *   const form = useMutationForm(CreateGroupDocument, {
 *     payload: (data) => data.createGroup,   // the payload carrying `userErrors`
 *     fields: ['title', 'capacity', 'schedule.startTime'], // optional: fields the form shows
 *     validate: (vars) => ({ title: vars.input.title ? undefined : 'Enter a title.' }), // optional
 *   });
 *   const payload = await form.submit({ input }); // null when refused, invalid or failed
 *   form.errors['schedule.startTime']              // message next to that field
 *   form.formError                                 // anything not tied to a shown field
 *   form.lastPayload                               // the last payload, refused ones included
 *
 * A userError's `field` is a path such as ["input", "schedule", "startTime"]; the leading
 * "input" is dropped, giving the key `schedule.startTime` (list items: `modules.2.title`).
 * With `fields`, an error on a field the form does not show goes to `formError` instead, so it is
 * never lost. Top-level errors (RATE_LIMITED, FORBIDDEN, a network failure…) go to `formError`.
 * `validate` runs before sending: any message stops the request; `revalidate(variables)` clears
 * the messages of fields corrected since.
 */
export interface UserErrorLike {
  code: string;
  field?: readonly string[] | null;
  message: string;
}

export interface UseMutationFormOptions<TData, TVars, TPayload extends { userErrors: readonly UserErrorLike[] }> {
  payload: (data: TData) => TPayload | null | undefined;
  fields?: readonly string[];
  validate?: (variables: TVars) => Record<string, string | null | undefined>;
}

/** `["input", "schedule", "startTime"]` → `schedule.startTime`; null for the whole input. */
export function fieldKey(path: readonly string[] | null | undefined): string | null {
  if (!path || path.length === 0) return null;
  const rest = path[0] === 'input' ? path.slice(1) : path;
  return rest.length ? rest.join('.') : null;
}

/** Splits userErrors into per-field messages and the rest. Exported for reuse and tests. */
export function mapUserErrors(
  userErrors: readonly UserErrorLike[],
  fields?: readonly string[],
): { fieldErrors: Record<string, string>; other: string[] } {
  const fieldErrors: Record<string, string> = {};
  const other: string[] = [];
  for (const error of userErrors) {
    const key = fieldKey(error.field);
    if (key && (!fields || fields.includes(key))) {
      fieldErrors[key] = fieldErrors[key] ? `${fieldErrors[key]} ${error.message}` : error.message;
    } else {
      other.push(error.message);
    }
  }
  return { fieldErrors, other };
}

const CORRECT_FIELDS = 'Please correct the highlighted fields.';

export function topLevelMessage(error: CombinedError): string {
  if (error.networkError) return 'Kindred could not be reached. Check your connection and try again.';
  if (hasCode(error, 'UNAUTHENTICATED')) return 'Your session has expired. Please sign in again.';
  return [...new Set(error.graphQLErrors.map(describeGraphQLError))].join(' ') || error.message;
}

export function useMutationForm<TData, TVars extends AnyVariables, TPayload extends { userErrors: readonly UserErrorLike[] }>(
  document: TypedDocumentNode<TData, TVars>,
  options: UseMutationFormOptions<TData, TVars, TPayload>,
) {
  const mutation = useMutation(document);
  const errors = reactive<Record<string, string>>({});
  const formError = ref<string | null>(null);
  const userErrors = ref<UserErrorLike[]>([]);
  /** The last payload that came back, refused or not (some refusals carry what to do next). */
  const lastPayload = ref<TPayload | null>(null) as Ref<TPayload | null>;
  const submitting = computed(() => mutation.fetching.value);

  function clear(): void {
    for (const key of Object.keys(errors)) delete errors[key];
    formError.value = null;
    userErrors.value = [];
    lastPayload.value = null;
  }

  function setErrors(messages: Record<string, string | null | undefined>): boolean {
    let any = false;
    for (const [key, message] of Object.entries(messages)) {
      if (message) {
        errors[key] = message;
        any = true;
      }
    }
    return any;
  }

  /** Clears the message of one field (call it when the person edits that field). */
  function clearField(key: string): void {
    delete errors[key];
  }

  /**
   * Re-runs `validate` and drops the messages of fields that are now valid (never adds any):
   * call it as the person edits, so a corrected field stops showing its error.
   */
  function revalidate(variables: TVars): void {
    if (!options.validate) return;
    const messages = options.validate(variables);
    for (const [key, message] of Object.entries(messages)) {
      if (!message && key in errors) delete errors[key];
    }
    if (formError.value === CORRECT_FIELDS && Object.keys(errors).length === 0) formError.value = null;
  }

  async function submit(variables: TVars): Promise<TPayload | null> {
    clear();
    if (options.validate && setErrors(options.validate(variables))) {
      formError.value = CORRECT_FIELDS;
      return null;
    }
    const result = await mutation.executeMutation(variables);
    const payload = result.data ? options.payload(result.data) : null;
    lastPayload.value = payload ?? null;
    if (result.error && !payload) {
      formError.value = topLevelMessage(result.error);
      return null;
    }
    if (!payload) {
      formError.value = 'Something went wrong on our side. Please try again.';
      return null;
    }
    if (payload.userErrors.length > 0) {
      userErrors.value = [...payload.userErrors];
      const { fieldErrors, other } = mapUserErrors(payload.userErrors, options.fields);
      setErrors(fieldErrors);
      formError.value = other.length ? other.join(' ') : null;
      return null;
    }
    return payload;
  }

  return { submit, revalidate, errors, formError, userErrors, lastPayload, submitting, clear, clearField, setErrors };
}
