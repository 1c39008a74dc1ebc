import { z } from 'zod';
import { inputType } from '../../graphql/input-type.js';
import { globalId, intInRange, optionalText, requiredText } from '../../graphql/validators.js';

const moduleSchema = z.object({
  title: requiredText(200),
  guidance: optionalText(20_000).default(''),
  homeworkPrompt: optionalText(4000).default(''),
});
inputType('ProgramModuleInput', 'One module of a program, in the order given.', moduleSchema, {
  title: 'Title of the step.',
  guidance: 'Guidance for the therapist (Markdown).',
  homeworkPrompt: 'Homework prompt for members.',
});

const title = requiredText(200);
const summary = requiredText(500);
const description = optionalText(20_000);
const focusAreas = z.array(requiredText(60)).max(10, 'At most 10.');
const sessionCount = intInRange(1, 104);
const sessionLengthMinutes = intInRange(15, 480);
const requiredAgreementId = globalId('Agreement').nullable();
const authorIds = z.array(globalId('Therapist')).max(20, 'At most 20.');
const modules = z.array(moduleSchema).max(104, 'At most 104.');

export const createProgramSchema = z.object({
  title,
  summary,
  description: description.default(''),
  focusAreas: focusAreas.default([]),
  sessionCount,
  sessionLengthMinutes,
  requiredAgreementId: requiredAgreementId.optional(),
  authorIds: authorIds.default([]),
  modules: modules.default([]),
});
export const CreateProgramInput = inputType('CreateProgramInput', 'A new program (created as DRAFT).', createProgramSchema, {
  title: 'Title.',
  summary: 'Short catalogue summary.',
  description: 'Full description (Markdown).',
  focusAreas: 'Focus areas.',
  sessionCount: 'Number of sessions.',
  sessionLengthMinutes: 'Session length in minutes.',
  requiredAgreementId: 'Agreement members must sign before taking a seat.',
  authorIds: 'Therapists who wrote the program.',
  modules: 'Modules, in order.',
});
export type CreateProgramInput = z.input<typeof createProgramSchema>;

export const updateProgramSchema = z.object({
  id: globalId('Program'),
  title: title.optional().nullable(),
  summary: summary.optional().nullable(),
  description: description.optional().nullable(),
  focusAreas: focusAreas.optional().nullable(),
  sessionCount: sessionCount.optional().nullable(),
  sessionLengthMinutes: sessionLengthMinutes.optional().nullable(),
  requiredAgreementId: requiredAgreementId.optional(),
  authorIds: authorIds.optional().nullable(),
  modules: modules.optional().nullable(),
});
export const UpdateProgramInput = inputType(
  'UpdateProgramInput',
  'Changes to a program; omitted fields stay as they are. `modules`, when given, replaces the whole ordered list.',
  updateProgramSchema,
  {
    id: 'The program.',
    title: 'Title.',
    summary: 'Short catalogue summary.',
    description: 'Full description (Markdown).',
    focusAreas: 'Focus areas.',
    sessionCount: 'Number of sessions.',
    sessionLengthMinutes: 'Session length in minutes.',
    requiredAgreementId: 'Required agreement; null removes it.',
    authorIds: 'Authoring therapists (replaces the list).',
    modules: 'Modules in order (replaces the list).',
  },
);
export type UpdateProgramInput = z.input<typeof updateProgramSchema>;

export const programStatusSchema = z.object({ id: globalId('Program') });
export const ProgramStatusInput = inputType('ProgramStatusInput', 'The program to publish or archive.', programStatusSchema, {
  id: 'The program.',
});
export type ProgramStatusInput = z.input<typeof programStatusSchema>;
