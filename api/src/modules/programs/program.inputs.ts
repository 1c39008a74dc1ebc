import { Field, ID, InputType, Int } from 'type-graphql';
import { z } from 'zod';
import { globalId, intInRange, optionalText, requiredText } from '../../graphql/validators.js';

@InputType({ description: 'One module of a program, in the order given.' })
export class ProgramModuleInput {
  @Field({ description: 'Title of the step.' }) title!: string;
  @Field({ nullable: true, description: 'Guidance for the therapist (Markdown).' }) guidance?: string;
  @Field({ nullable: true, description: 'Homework prompt for members.' }) homeworkPrompt?: string;
}

@InputType({ description: 'A new program (created as DRAFT).' })
export class CreateProgramInput {
  @Field({ description: 'Title.' }) title!: string;
  @Field({ description: 'Short catalogue summary.' }) summary!: string;
  @Field({ nullable: true, description: 'Full description (Markdown).' }) description?: string;
  @Field(() => [String], { nullable: true, description: 'Focus areas (at most 10).' }) focusAreas?: string[];
  @Field(() => Int, { description: 'Number of sessions, 1 to 104.' }) sessionCount!: number;
  @Field(() => Int, { description: 'Session length in minutes, 15 to 480.' }) sessionLengthMinutes!: number;
  @Field(() => ID, { nullable: true, description: 'Agreement members must sign before taking a seat.' }) requiredAgreementId?: string;
  @Field(() => [ID], { nullable: true, description: 'Therapists who wrote the program.' }) authorIds?: string[];
  @Field(() => [ProgramModuleInput], { nullable: true, description: 'Modules, in order (at most 104).' }) modules?: ProgramModuleInput[];
}

@InputType({
  description: 'Changes to a program; omitted fields stay as they are. `modules`, when given, replaces the whole ordered list.',
})
export class UpdateProgramInput {
  @Field(() => ID, { description: 'The program.' }) id!: string;
  @Field({ nullable: true, description: 'Title.' }) title?: string;
  @Field({ nullable: true, description: 'Short catalogue summary.' }) summary?: string;
  @Field({ nullable: true, description: 'Full description (Markdown).' }) description?: string;
  @Field(() => [String], { nullable: true, description: 'Focus areas.' }) focusAreas?: string[];
  @Field(() => Int, { nullable: true, description: 'Number of sessions.' }) sessionCount?: number;
  @Field(() => Int, { nullable: true, description: 'Session length in minutes.' }) sessionLengthMinutes?: number;
  @Field(() => ID, { nullable: true, description: 'Required agreement.' }) requiredAgreementId?: string;
  @Field(() => [ID], { nullable: true, description: 'Authoring therapists (replaces the list).' }) authorIds?: string[];
  @Field(() => [ProgramModuleInput], { nullable: true, description: 'Modules in order (replaces the list).' })
  modules?: ProgramModuleInput[];
}

@InputType({ description: 'The program to publish or archive.' })
export class ProgramStatusInput {
  @Field(() => ID, { description: 'The program.' }) id!: string;
}

const moduleSchema = z.object({
  title: requiredText(200),
  guidance: optionalText(20_000).default(''),
  homeworkPrompt: optionalText(4000).default(''),
});

const programFields = {
  title: requiredText(200),
  summary: requiredText(500),
  description: optionalText(20_000),
  focusAreas: z.array(requiredText(60)).max(10, 'At most 10.'),
  sessionCount: intInRange(1, 104),
  sessionLengthMinutes: intInRange(15, 480),
  requiredAgreementId: globalId('Agreement').nullable(),
  authorIds: z.array(globalId('Therapist')).max(20, 'At most 20.'),
  modules: z.array(moduleSchema).max(104, 'At most 104.'),
};

export const createProgramSchema = z.object({
  ...programFields,
  description: programFields.description.default(''),
  focusAreas: programFields.focusAreas.default([]),
  requiredAgreementId: programFields.requiredAgreementId.optional(),
  authorIds: programFields.authorIds.default([]),
  modules: programFields.modules.default([]),
});

export const updateProgramSchema = z.object({
  id: globalId('Program'),
  ...Object.fromEntries(Object.entries(programFields).map(([k, v]) => [k, v.optional().nullable()])),
}) as unknown as z.ZodType<{ id: string } & Partial<z.output<typeof createProgramSchema>>>;

export const programStatusSchema = z.object({ id: globalId('Program') });
