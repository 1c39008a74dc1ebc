import type { CreateProgramInput, ProgramEditFieldsFragment, ProgramModuleInput, ProgramStatus, UpdateProgramInput } from '@/gql/graphql';

/**
 * The program form's state and its rules, kept apart from the page so they can be tested
 * alone. The limits mirror the API's input schema (api/src/modules/programs/program.inputs.ts):
 * checking them here saves a round trip; the API checks them again either way.
 */
export const PROGRAM_LIMITS = {
  title: 200,
  summary: 500,
  description: 20_000,
  focusAreas: 10,
  focusArea: 60,
  sessionCount: { min: 1, max: 104 },
  sessionLengthMinutes: { min: 15, max: 480 },
  authors: 20,
  modules: 104,
  moduleTitle: 200,
  guidance: 20_000,
  homeworkPrompt: 4000,
} as const;

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
  const L = PROGRAM_LIMITS;
  const errors: FieldErrors = {
    title: required(draft.title, 'a title', L.title),
    summary: required(draft.summary, 'a summary', L.summary),
    description: tooLong(draft.description, L.description),
    sessionCount: rangeError(draft.sessionCount, L.sessionCount, 'the number of sessions'),
    sessionLengthMinutes: rangeError(draft.sessionLengthMinutes, L.sessionLengthMinutes, 'the session length'),
    authorIds: draft.authorIds.length > L.authors ? `At most ${L.authors} authors.` : undefined,
  };
  if (draft.focusAreas.length > L.focusAreas) errors.focusAreas = `At most ${L.focusAreas} focus areas.`;
  else if (draft.focusAreas.some((f) => !f.trim() || f.trim().length > L.focusArea)) {
    errors.focusAreas = `Each focus area needs 1 to ${L.focusArea} characters.`;
  }
  if (draft.modules.length > L.modules) errors.modules = `At most ${L.modules} modules.`;
  else if (draft.sessionCount != null && draft.modules.length > draft.sessionCount) {
    errors.modules = `A program cannot have more modules than sessions (${draft.sessionCount}).`;
  }
  draft.modules.forEach((m, i) => {
    errors[`modules.${i}.title`] = required(m.title, 'a module title', L.moduleTitle);
    errors[`modules.${i}.guidance`] = tooLong(m.guidance, L.guidance);
    errors[`modules.${i}.homeworkPrompt`] = tooLong(m.homeworkPrompt, L.homeworkPrompt);
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
