import type { EntityManager } from '@mikro-orm/core';
import { allOf, sql } from '../../db/sql.js';
import type { View } from '../../db/views.js';
import { type PageArgs, paginate } from '../../graphql/connection.js';
import type { Context } from '../../graphql/context.js';
import { registerNode } from '../../graphql/node.js';
import { refuse, UserErrorCode, validateInput } from '../../graphql/user-errors.js';
import { AgreementEntity } from '../agreements/index.js';
import { TherapistEntity } from '../therapists/index.js';
import {
  type CreateProgramInput,
  createProgramSchema,
  type ProgramStatusInput,
  programStatusSchema,
  type UpdateProgramInput,
  updateProgramSchema,
} from './program.inputs.js';
import { ProgramEntity, ProgramModuleEntity, ProgramStatus } from './program.entity.js';

const isStaff = (ctx: Context) => ctx.viewer.kind === 'ADMIN' || ctx.viewer.kind === 'THERAPIST';

/** Drafts are for staff; published and archived programs are public (archived ones still run groups). */
const canSeeProgram = (ctx: Context, program: View<ProgramEntity>): boolean => isStaff(ctx) || program.status !== ProgramStatus.DRAFT;

registerNode({ typeName: 'Program', entity: ProgramEntity, load: (ctx, id) => ctx.loaders.program.load(id), visible: canSeeProgram });
registerNode({
  typeName: 'ProgramModule',
  entity: ProgramModuleEntity,
  load: (ctx, id) => ctx.loaders.programModule.load(id),
  visible: async (ctx, module) => {
    const program = await ctx.loaders.program.load(module.program.id);
    return program !== null && canSeeProgram(ctx, program);
  },
});

export interface ProgramFilter {
  statuses?: ProgramStatus[] | null;
  focusArea?: string | null;
}

/** Programs by title; non-staff see only the published catalogue unless they ask for archived ones. */
export function listPrograms(ctx: Context, page: PageArgs, filter: ProgramFilter) {
  const where = [];
  const statuses = filter.statuses?.length ? filter.statuses : isStaff(ctx) ? null : [ProgramStatus.PUBLISHED];
  if (statuses) where.push(sql`t.status = any(${statuses}::program_status[])`);
  if (!isStaff(ctx)) where.push(sql`t.status <> 'DRAFT'`);
  if (filter.focusArea) where.push(sql`t.focus_areas @> array[${filter.focusArea}]::text[]`);
  return paginate(ctx, ProgramEntity, allOf(where), page, [{ property: 'title', direction: 'asc' }]);
}

async function checkReferences(em: EntityManager, agreementId: string | null | undefined, authorIds: string[] | null | undefined) {
  if (agreementId && !(await em.count(AgreementEntity, { id: agreementId }))) {
    refuse(UserErrorCode.NOT_FOUND, ['input', 'requiredAgreementId'], 'No agreement with this ID.');
  }
  if (authorIds?.length) {
    if (new Set(authorIds).size !== authorIds.length)
      refuse(UserErrorCode.DUPLICATE, ['input', 'authorIds'], 'A therapist is listed twice.');
    const found = await em.find(TherapistEntity, { id: { $in: authorIds } });
    if (found.length !== authorIds.length) refuse(UserErrorCode.NOT_FOUND, ['input', 'authorIds'], 'No therapist with one of these IDs.');
    return found;
  }
  return [];
}

function checkModuleCount(modules: unknown[], sessionCount: number) {
  if (modules.length > sessionCount) {
    refuse(UserErrorCode.OUT_OF_RANGE, ['input', 'modules'], 'A program cannot have more modules than sessions.');
  }
}

/** Creates a DRAFT program with its ordered modules. */
export async function createProgram(ctx: Context, input: CreateProgramInput): Promise<ProgramEntity> {
  const data = validateInput(createProgramSchema, input);
  checkModuleCount(data.modules, data.sessionCount);
  return ctx.em.transactional(async (em) => {
    const authors = await checkReferences(em, data.requiredAgreementId, data.authorIds);
    const program = em.create(ProgramEntity, {
      title: data.title,
      summary: data.summary,
      description: data.description,
      focusAreas: data.focusAreas,
      sessionCount: data.sessionCount,
      sessionLengthMinutes: data.sessionLengthMinutes,
      requiredAgreement: data.requiredAgreementId ?? null,
    });
    program.authors.set(authors);
    for (const [i, m] of data.modules.entries()) em.create(ProgramModuleEntity, { program, position: i + 1, ...m });
    return program;
  });
}

/**
 * Updates a draft or published program. Modules are matched by position and edited in place,
 * so sessions of running groups keep pointing at the same module rows.
 */
export async function updateProgram(ctx: Context, input: UpdateProgramInput): Promise<ProgramEntity> {
  const data = validateInput(updateProgramSchema, input);
  return ctx.em.transactional(async (em) => {
    const program = await em.findOne(ProgramEntity, { id: data.id }, { populate: ['modules'] });
    if (!program) return refuse(UserErrorCode.NOT_FOUND, ['input', 'id'], 'No program with this ID.');
    if (program.status === ProgramStatus.ARCHIVED) refuse(UserErrorCode.INVALID_STATE, ['input', 'id'], 'Archived programs cannot change.');
    const authors = await checkReferences(em, data.requiredAgreementId, data.authorIds);
    const { title, summary, description, focusAreas, sessionCount, sessionLengthMinutes, requiredAgreementId } = data;
    em.assign(program, {
      ...(title != null && { title }),
      ...(summary != null && { summary }),
      ...(description != null && { description }),
      ...(focusAreas != null && { focusAreas }),
      ...(sessionCount != null && { sessionCount }),
      ...(sessionLengthMinutes != null && { sessionLengthMinutes }),
      ...(requiredAgreementId !== undefined && { requiredAgreement: requiredAgreementId }),
    });
    if (data.authorIds) program.authors.set(authors);
    const modules = data.modules ?? program.modules.getItems();
    checkModuleCount(modules, program.sessionCount);
    if (data.modules) {
      const existing = program.modules.getItems();
      data.modules.forEach((m, i) => {
        const row = existing[i];
        if (row) Object.assign(row, m);
        else em.create(ProgramModuleEntity, { program, position: i + 1, ...m });
      });
      for (const extra of existing.slice(data.modules.length)) em.remove(extra);
    }
    return program;
  });
}

async function transition(ctx: Context, input: ProgramStatusInput, from: ProgramStatus, to: ProgramStatus) {
  const data = validateInput(programStatusSchema, input);
  return ctx.em.transactional(async (em) => {
    const program = await em.findOne(ProgramEntity, { id: data.id }, { populate: ['modules'] });
    if (!program) return refuse(UserErrorCode.NOT_FOUND, ['input', 'id'], 'No program with this ID.');
    if (program.status !== from) {
      refuse(UserErrorCode.INVALID_STATE, ['input', 'id'], `Only a ${from.toLowerCase()} program can become ${to.toLowerCase()}.`);
    }
    if (to === ProgramStatus.PUBLISHED && program.modules.length === 0) {
      refuse(UserErrorCode.INVALID_STATE, ['input', 'id'], 'Add at least one module before publishing.');
    }
    program.status = to;
    if (to === ProgramStatus.PUBLISHED) program.publishedAt = new Date();
    if (to === ProgramStatus.ARCHIVED) program.archivedAt = new Date();
    return program;
  });
}

/** DRAFT → PUBLISHED: the program enters the catalogue and groups can be created for it. */
export const publishProgram = (ctx: Context, input: ProgramStatusInput) =>
  transition(ctx, input, ProgramStatus.DRAFT, ProgramStatus.PUBLISHED);

/** PUBLISHED → ARCHIVED: running groups continue, no new ones. */
export const archiveProgram = (ctx: Context, input: ProgramStatusInput) =>
  transition(ctx, input, ProgramStatus.PUBLISHED, ProgramStatus.ARCHIVED);
