import { Field, ID, Int, ObjectType, registerEnumType } from 'type-graphql';
import { connectionOf } from '../../graphql/connection.js';
import { Node } from '../../graphql/node.js';
import { payloadType } from '../../graphql/payload.js';
import { ProgramStatus } from './program.entity.js';

registerEnumType(ProgramStatus, {
  name: 'ProgramStatus',
  description: 'Lifecycle of a program: DRAFT → PUBLISHED → ARCHIVED.',
  valuesConfig: {
    DRAFT: { description: 'Being written; visible to staff only.' },
    PUBLISHED: { description: 'In the public catalogue; new groups can run it.' },
    ARCHIVED: { description: 'Retired: existing groups continue, no new groups.' },
  },
});

@ObjectType('ProgramModule', { implements: Node, description: 'One step of a program, covered in one session.' })
export class ProgramModule {
  @Field(() => ID, { description: 'Global ID.' }) id!: string;
  @Field(() => Int, { description: 'Order in the program, from 1.' }) position!: number;
  @Field({ description: 'Title of the step.' }) title!: string;
  @Field({ description: 'Guidance for the therapist running the session (Markdown).' }) guidance!: string;
  @Field({ description: 'Homework prompt given to members after the session.' }) homeworkPrompt!: string;
}

@ObjectType('Program', { implements: Node, description: 'A therapist-designed plan of guidance, session by session, that groups run.' })
export class Program {
  @Field(() => ID, { description: 'Global ID.' }) id!: string;
  @Field({ description: 'Title.' }) title!: string;
  @Field({ description: 'One- or two-sentence summary for the catalogue.' }) summary!: string;
  @Field({ description: 'Full description (Markdown).' }) description!: string;
  @Field(() => [String], { description: 'Focus areas, e.g. "anxiety", "grief".' }) focusAreas!: string[];
  @Field(() => Int, { description: 'Number of sessions the program is written for.' }) sessionCount!: number;
  @Field(() => Int, { description: 'Length of each session in minutes.' }) sessionLengthMinutes!: number;
  @Field(() => ProgramStatus, { description: 'Lifecycle status.' }) status!: ProgramStatus;
  @Field({ description: 'When the program was created.' }) createdAt!: Date;
  @Field({ description: 'When the program last changed.' }) updatedAt!: Date;
  @Field(() => Date, { nullable: true, description: 'When it was published.' }) publishedAt!: Date | null;
  @Field(() => Date, { nullable: true, description: 'When it was archived.' }) archivedAt!: Date | null;
}

export const ProgramConnection = connectionOf(Program, 'Program', 'program');

export const ProgramPayload = payloadType('ProgramPayload', 'Result of a mutation that changes a program.', {
  program: { type: () => Program, description: 'The program after the change.' },
});
