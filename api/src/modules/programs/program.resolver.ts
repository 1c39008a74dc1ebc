import { Arg, Args, ArgsType, Authorized, Ctx, Field, FieldResolver, ID, Mutation, Query, Resolver, Root } from 'type-graphql';
import type { View } from '../../db/views.js';
import { PageArgs } from '../../graphql/connection.js';
import type { Context } from '../../graphql/context.js';
import { parseGlobalId } from '../../graphql/ids.js';
import { loadVisible } from '../../graphql/node.js';
import { INPUT, mutate } from '../../graphql/payload.js';
import { Agreement } from '../agreements/index.js';
import { Therapist } from '../therapists/index.js';
import { type ProgramEntity, ProgramStatus } from './program.entity.js';
import { CreateProgramInput, ProgramStatusInput, UpdateProgramInput } from './program.inputs.js';
import { archiveProgram, createProgram, listPrograms, publishProgram, updateProgram } from './program.service.js';
import { Program, ProgramConnection, ProgramModule, ProgramPayload } from './program.types.js';

@ArgsType()
class ProgramsArgs extends PageArgs {
  @Field(() => [ProgramStatus], {
    nullable: true,
    description: 'Only these statuses. Default: all for staff, PUBLISHED for everyone else (who never see drafts).',
  })
  statuses?: ProgramStatus[] | null;

  @Field(() => String, { nullable: true, description: 'Only programs with this focus area.' })
  focusArea?: string | null;
}

@Resolver(() => Program)
export class ProgramResolver {
  @Query(() => ProgramConnection, { description: 'Programs by title. The public catalogue lists published programs.' })
  programs(@Args() args: ProgramsArgs, @Ctx() ctx: Context) {
    return listPrograms(ctx, args, { statuses: args.statuses, focusArea: args.focusArea?.slice(0, 60) });
  }

  @Query(() => Program, { nullable: true, description: 'One program; drafts are NOT_FOUND for non-staff.' })
  program(@Arg('id', () => ID, { description: 'Global ID of a Program.' }) id: string, @Ctx() ctx: Context) {
    return loadVisible(ctx, 'Program', parseGlobalId(id, 'Program'));
  }

  @FieldResolver(() => [ProgramModule], { description: 'Modules in order.' })
  modules(@Root() program: View<ProgramEntity>, @Ctx() ctx: Context) {
    return ctx.loaders.modulesOfProgram.load(program.id);
  }

  @FieldResolver(() => [Therapist], { description: 'Therapists who wrote the program.' })
  authors(@Root() program: View<ProgramEntity>, @Ctx() ctx: Context) {
    return ctx.loaders.authorsOfProgram.load(program.id);
  }

  @FieldResolver(() => Agreement, {
    nullable: true,
    description: 'Agreement members sign before taking a seat in a group of this program.',
  })
  requiredAgreement(@Root() program: View<ProgramEntity>, @Ctx() ctx: Context) {
    return program.requiredAgreement ? ctx.loaders.agreement.load(program.requiredAgreement.id) : null;
  }

  @Authorized('ADMIN')
  @Mutation(() => ProgramPayload, { description: 'Creates a DRAFT program. Admins only.' })
  createProgram(@Arg('input', () => CreateProgramInput, INPUT) input: CreateProgramInput, @Ctx() ctx: Context) {
    return mutate(async () => ({ program: await createProgram(ctx, input) }));
  }

  @Authorized('ADMIN')
  @Mutation(() => ProgramPayload, { description: 'Changes a draft or published program. Admins only.' })
  updateProgram(@Arg('input', () => UpdateProgramInput, INPUT) input: UpdateProgramInput, @Ctx() ctx: Context) {
    return mutate(async () => ({ program: await updateProgram(ctx, input) }));
  }

  @Authorized('ADMIN')
  @Mutation(() => ProgramPayload, { description: 'Publishes a draft program (it needs at least one module). Admins only.' })
  publishProgram(@Arg('input', () => ProgramStatusInput, INPUT) input: ProgramStatusInput, @Ctx() ctx: Context) {
    return mutate(async () => ({ program: await publishProgram(ctx, input) }));
  }

  @Authorized('ADMIN')
  @Mutation(() => ProgramPayload, { description: 'Archives a published program: its groups continue, no new ones. Admins only.' })
  archiveProgram(@Arg('input', () => ProgramStatusInput, INPUT) input: ProgramStatusInput, @Ctx() ctx: Context) {
    return mutate(async () => ({ program: await archiveProgram(ctx, input) }));
  }
}
