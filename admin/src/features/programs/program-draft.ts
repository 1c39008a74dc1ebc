/**
 * The program form's state and its rules, kept apart from the page so they can be tested
 * alone. The limits are the API's (schema/input-constraints.json, read with constraintOf):
 * checking them here saves a round trip; the API checks them again either way. Create and
 * update take the same program fields, so a draft is checked against CreateProgramInput's bounds.
 */
import { constraintOf } from '@/composables/input-constraints';
import type { CreateProgramInput, ProgramEditFieldsFragment, ProgramModuleInput, ProgramStatus, UpdateProgramInput } from '@/gql/graphql';

export const PROGRAM_STATUSES: readonly ProgramStatus[] = ['DRAFT', 'PUBLISHED', 'ARCHIVED'];

export interface ModuleDraft {
  /** Stable key for rendering while rows move; never sent. */
  key: number;
  title: string;
  guidance: string;
  homeworkPrompt: string;
}

export interface ProgramDraft {
  title: string;
  summary: string;
  description: string;
  focusAreas: string[];
  sessionCount: number | null;
  sessionLengthMinutes: number | null;
  requiredAgreementId: string | null;
  authorIds: string[];
  modules: ModuleDraft[];
}

let nextKey = 1;

export function newModule(fields: Partial<Omit<ModuleDraft, 'key'>> = {}): ModuleDraft {
  return { key: nextKey++, title: '', guidance: '', homeworkPrompt: '', ...fields };
}

export function emptyProgramDraft(): ProgramDraft {
  return {
    title: '',
    summary: '',
    description: '',
    focusAreas: [],
    sessionCount: 8,
    sessionLengthMinutes: 90,
    requiredAgreementId: null,
    authorIds: [],
    modules: [],
  };
}

export function draftFromProgram(program: ProgramEditFieldsFragment): ProgramDraft {
  return {
    title: program.title,
    summary: program.summary,
    description: program.description,
    focusAreas: [...program.focusAreas],
    sessionCount: program.sessionCount,
    sessionLengthMinutes: program.sessionLengthMinutes,
    requiredAgreementId: program.requiredAgreement?.id ?? null,
    authorIds: program.authors.map((a) => a.id),
    modules: [...program.modules]
      .sort((a, b) => a.position - b.position)
      .map((m) => newModule({ title: m.title, guidance: m.guidance, homeworkPrompt: m.homeworkPrompt })),
  };
}

// Module list operations: each returns a new array and leaves the input untouched.

export function addModule(modules: readonly ModuleDraft[]): ModuleDraft[] {
  return [...modules, newModule()];
}

export function removeModule(modules: readonly ModuleDraft[], index: number): ModuleDraft[] {
  return modules.filter((_, i) => i !== index);
}

/** Moves the module at `index` by `delta` places (−1 up, +1 down); out-of-range moves change nothing. */
export function moveModule(modules: readonly ModuleDraft[], index: number, delta: -1 | 1): ModuleDraft[] {
  const target = index + delta;
  if (index < 0 || index >= modules.length || target < 0 || target >= modules.length) return [...modules];
  const next = [...modules];
  const [moved] = next.splice(index, 1);
  if (moved) next.splice(target, 0, moved);
  return next;
}

/** A focus area as the API stores it: trimmed, and compared without regard to case. */
export function normaliseFocusArea(value: string): string {
  return value.trim().replace(/\s+/g, ' ');
}

export type FieldErrors = Record<string, string | undefined>;

const tooLong = (value: string, max: number) => (value.trim().length > max ? `At most ${max} characters.` : undefined);
const required = (value: string, what: string, max: number) => (!value.trim() ? `Enter ${what}.` : tooLong(value, max));

function rangeError(value: number | null, range: { min: number; max: number }, what: string): string | undefined {
  if (value == null || Number.isNaN(value)) return `Enter ${what}.`;
  if (!Number.isInteger(value)) return 'Enter a whole number.';
  if (value < range.min || value > range.max) return `Between ${range.min} and ${range.max}.`;
  return undefined;
}

/**
 * Checks a draft before sending. Keys are the API's userError paths without "input"
 * (`title`, `focusAreas`, `modules.2.title`), so local and API messages land in the same place.
 */
export function validateProgramDraft(draft: ProgramDraft): FieldErrors {
  const focusAreas = constraintOf('CreateProgramInput', 'focusAreas');
  const authors = constraintOf('CreateProgramInput', 'authorIds').maxItems;
  const modules = constraintOf('CreateProgramInput', 'modules').maxItems;
  const errors: FieldErrors = {
    title: required(draft.title, 'a title', constraintOf('CreateProgramInput', 'title').maxLength),
    summary: required(draft.summary, 'a summary', constraintOf('CreateProgramInput', 'summary').maxLength),
    description: tooLong(draft.description, constraintOf('CreateProgramInput', 'description').maxLength),
    sessionCount: rangeError(draft.sessionCount, constraintOf('CreateProgramInput', 'sessionCount'), 'the number of sessions'),
    sessionLengthMinutes: rangeError(
      draft.sessionLengthMinutes,
      constraintOf('CreateProgramInput', 'sessionLengthMinutes'),
      'the session length',
    ),
    authorIds: draft.authorIds.length > authors ? `At most ${authors} authors.` : undefined,
  };
  const { minLength, maxLength } = focusAreas.items;
  if (draft.focusAreas.length > focusAreas.maxItems) errors.focusAreas = `At most ${focusAreas.maxItems} focus areas.`;
  else if (draft.focusAreas.some((f) => f.trim().length < minLength || f.trim().length > maxLength)) {
    errors.focusAreas = `Each focus area needs ${minLength} to ${maxLength} characters.`;
  }
  if (draft.modules.length > modules) errors.modules = `At most ${modules} modules.`;
  else if (draft.sessionCount != null && draft.modules.length > draft.sessionCount) {
    errors.modules = `A program cannot have more modules than sessions (${draft.sessionCount}).`;
  }
  draft.modules.forEach((m, i) => {
    errors[`modules.${i}.title`] = required(m.title, 'a module title', constraintOf('ProgramModuleInput', 'title').maxLength);
    errors[`modules.${i}.guidance`] = tooLong(m.guidance, constraintOf('ProgramModuleInput', 'guidance').maxLength);
    errors[`modules.${i}.homeworkPrompt`] = tooLong(m.homeworkPrompt, constraintOf('ProgramModuleInput', 'homeworkPrompt').maxLength);
  });
  return Object.fromEntries(Object.entries(errors).filter(([, message]) => !!message));
}

function moduleInputs(modules: readonly ModuleDraft[]): ProgramModuleInput[] {
  return modules.map((m) => ({ title: m.title.trim(), guidance: m.guidance, homeworkPrompt: m.homeworkPrompt }));
}

export function toCreateProgramInput(draft: ProgramDraft): CreateProgramInput {
  return {
    title: draft.title.trim(),
    summary: draft.summary.trim(),
    description: draft.description,
    focusAreas: draft.focusAreas.map(normaliseFocusArea),
    sessionCount: draft.sessionCount ?? 0,
    sessionLengthMinutes: draft.sessionLengthMinutes ?? 0,
    requiredAgreementId: draft.requiredAgreementId,
    authorIds: draft.authorIds,
    modules: moduleInputs(draft.modules),
  };
}

/**
 * Every field is sent: the form always shows the whole program. `requiredAgreementId: null`
 * clears the agreement; `modules` replaces the list (the API edits module rows in place by
 * position, so running groups' sessions follow positions).
 */
export function toUpdateProgramInput(id: string, draft: ProgramDraft): UpdateProgramInput {
  return { id, ...toCreateProgramInput(draft) };
}

/**
 * Messages for one form field, including those of its list items (`focusAreas.3` belongs to
 * `focusAreas`; `modules.2.title` does not belong to `modules`, it has its own place).
 */
export function messagesFor(errors: Readonly<Record<string, string>>, key: string): string | undefined {
  const own = errors[key];
  const items = Object.entries(errors)
    .filter(([k]) => k.startsWith(`${key}.`) && /^\d+$/.test(k.slice(key.length + 1)))
    .map(([, message]) => message);
  const all = [own, ...items].filter((m): m is string => !!m);
  return all.length ? [...new Set(all)].join(' ') : undefined;
}
