import type { EntityManager } from '@mikro-orm/postgresql';
import { LockMode, ref } from '@mikro-orm/core';
import type { Context } from '../../graphql/context.js';
import { noteChange } from '../../authz/staff-actions.js';
import { pooledSql, type SqlClient, type Statement, sql, sqlOf } from '../../db/sql.js';
import { refuse, type UserError, UserErrorCode, UserErrors, validateInput } from '../../graphql/user-errors.js';
import { ProgramEntity, ProgramModuleEntity, ProgramStatus } from '../programs/index.js';
import { actorOf, setSeatActor } from '../reservations/index.js';
import { TherapistEntity } from '../therapists/index.js';
import { planSessions, type WeeklySchedule } from './schedule.js';
import { SessionEntity } from './session.entity.js';
import { GroupEntity, GroupFormat, GroupStatus, GroupType } from './group.entity.js';
import {
  type CancelGroupInput,
  type CreateGroupInput,
  cancelGroupSchema,
  createGroupSchema,
  type OpenGroupInput,
  openGroupSchema,
  type UpdateGroupInput,
  updateGroupSchema,
} from './group.inputs.js';

/** Runs a group seat function (migration 0018); a refusal becomes `UserErrors`. Answers the previous value. */
async function seatCall(db: SqlClient, call: Statement): Promise<unknown> {
  const [row] = await db.query<{ answer: { result: { userErrors: UserError[] }; previous?: unknown } }>(call);
  const { result, previous } = row!.answer;
  if (result.userErrors.length > 0) throw new UserErrors(result.userErrors);
  return previous;
}

type ScheduleData = NonNullable<ReturnType<typeof createGroupSchema.parse>['schedule']>;

function completeSchedule(schedule: ScheduleData, program: ProgramEntity): WeeklySchedule {
  return {
    timeZone: schedule.timeZone,
    startsOn: schedule.startsOn,
    weekday: schedule.weekday,
    startTime: schedule.startTime,
    durationMinutes: schedule.durationMinutes ?? program.sessionLengthMinutes,
    sessionCount: schedule.sessionCount ?? program.sessionCount,
  };
}

async function therapists(em: EntityManager, leadId: string, coIds: string[], field: string) {
  if (coIds.includes(leadId))
    refuse(UserErrorCode.DUPLICATE, ['input', 'coTherapistIds'], 'The lead therapist cannot also be a co-therapist.');
  if (new Set(coIds).size !== coIds.length) refuse(UserErrorCode.DUPLICATE, ['input', 'coTherapistIds'], 'A therapist is listed twice.');
  const found = await em.find(TherapistEntity, { id: { $in: [leadId, ...coIds] } });
  const byId = new Map(found.map((t) => [t.id, t]));
  const lead = byId.get(leadId) ?? refuse(UserErrorCode.NOT_FOUND, ['input', field], 'No therapist with this ID.');
  const co = coIds.map(
    (id) => byId.get(id) ?? refuse(UserErrorCode.NOT_FOUND, ['input', 'coTherapistIds'], 'No therapist with one of these IDs.'),
  );
  return { lead, co };
}

function checkLocation(format: GroupFormat, location: string | null | undefined) {
  if (format === GroupFormat.IN_PERSON && !location)
    refuse(UserErrorCode.REQUIRED, ['input', 'location'], 'In-person groups need a location.');
  if (format === GroupFormat.ONLINE && location)
    refuse(UserErrorCode.INVALID_STATE, ['input', 'location'], 'Online groups have no location.');
}

/** Replaces a group's sessions with those its schedule generates, each covering the module of the same position. */
async function generateSessions(em: EntityManager, group: GroupEntity, schedule: WeeklySchedule) {
  await em.nativeDelete(SessionEntity, { group });
  const modules = await em.find(ProgramModuleEntity, { program: group.program.id });
  const byPosition = new Map(modules.map((m) => [m.position, m]));
  const planned = planSessions(schedule);
  for (const s of planned) em.create(SessionEntity, { group, ...s, module: byPosition.get(s.position) ?? null });
  return planned;
}

function applySchedule(group: GroupEntity, schedule: WeeklySchedule) {
  Object.assign(group, {
    timeZone: schedule.timeZone,
    startsOn: schedule.startsOn,
    weekday: schedule.weekday,
    startTime: schedule.startTime,
    durationMinutes: schedule.durationMinutes,
    sessionCount: schedule.sessionCount,
  });
}

function checkStartsInFuture(schedule: WeeklySchedule) {
  const first = planSessions({ ...schedule, sessionCount: 1 })[0]!;
  if (first.startsAt.getTime() <= Date.now())
    refuse(UserErrorCode.INVALID_DATE, ['input', 'schedule', 'startsOn'], 'The first session must be in the future.');
  return first;
}

/** Creates a DRAFT group for a published program, with its sessions generated in the group's time zone. */
export async function createGroup(ctx: Context, input: CreateGroupInput): Promise<GroupEntity> {
  const data = validateInput(createGroupSchema, input);
  checkLocation(data.format, data.location);
  return ctx.em.transactional(async (em) => {
    // Names who assigns the therapists in the assignment history (migration 0010's triggers).
    await setSeatActor(await sqlOf(em), ctx.viewer, 'group created');
    const program = await em.findOne(ProgramEntity, { id: data.programId });
    if (!program) return refuse(UserErrorCode.NOT_FOUND, ['input', 'programId'], 'No program with this ID.');
    if (program.status !== ProgramStatus.PUBLISHED)
      refuse(UserErrorCode.PROGRAM_NOT_PUBLISHED, ['input', 'programId'], 'Only published programs get new groups.');
    const { lead, co } = await therapists(em, data.leadTherapistId, data.coTherapistIds ?? [], 'leadTherapistId');
    const schedule = completeSchedule(data.schedule, program);
    const first = checkStartsInFuture(schedule);
    const group = em.create(GroupEntity, {
      program,
      title: data.title,
      leadTherapist: lead,
      capacity: data.capacity,
      type: data.type,
      format: data.format,
      location: data.location || null,
      ...schedule,
      enrolmentDeadline: data.enrolmentDeadline ?? (data.type === GroupType.CLOSED ? first.startsAt : null),
      cancellationWindowHours: data.cancellationWindowHours ?? 24,
      holdMinutes: data.holdMinutes ?? 30,
    });
    group.coTherapists.set(co);
    await generateSessions(em, group, schedule);
    return group;
  });
}

/** Loads a group for change with its row locked, so seat counts read after it are stable. */
async function lockGroup(em: EntityManager, id: string): Promise<GroupEntity> {
  const group = await em.findOne(GroupEntity, { id }, { lockMode: LockMode.PESSIMISTIC_WRITE, populate: ['coTherapists'] });
  return group ?? refuse(UserErrorCode.NOT_FOUND, ['input', 'id'], 'No group with this ID.');
}

const isFinished = (group: GroupEntity) => group.status === GroupStatus.CANCELLED || group.status === GroupStatus.COMPLETED;

/** Changes a group. Capacity never goes below the seats taken (checked under the group's row lock). */
export async function updateGroup(ctx: Context, input: UpdateGroupInput): Promise<GroupEntity> {
  const data = validateInput(updateGroupSchema, input);
  return ctx.em.transactional(async (em) => {
    const group = await lockGroup(em, data.id);
    if (isFinished(group)) refuse(UserErrorCode.INVALID_STATE, ['input', 'id'], 'A cancelled or completed group cannot change.');
    await setSeatActor(await sqlOf(em), ctx.viewer, 'group changed');
    if (data.capacity != null && data.capacity !== group.capacity) {
      // Rule 6 and the promotion of a raise, under the group's lock, in one call. The entity then
      // carries the new value too (its flush rewrites the same value, and the audit sees it).
      await seatCall(
        await sqlOf(em),
        sql`select set_capacity_v1(${group.id}::uuid, ${data.capacity}::int, ${actorOf(ctx.viewer)}) as answer`,
      );
    }
    if (data.leadTherapistId || data.coTherapistIds) {
      const { lead, co } = await therapists(
        em,
        data.leadTherapistId ?? group.leadTherapist.id,
        data.coTherapistIds ?? group.coTherapists.getItems().map((t) => t.id),
        'leadTherapistId',
      );
      group.leadTherapist = ref(lead);
      group.coTherapists.set(co);
    }
    if (data.location !== undefined && data.location !== null) {
      checkLocation(group.format, data.location || null);
      group.location = data.location || null;
    }
    if (data.schedule) {
      if (group.status !== GroupStatus.DRAFT)
        refuse(UserErrorCode.INVALID_STATE, ['input', 'schedule'], 'The schedule can only change while the group is a draft.');
      const program = await em.findOneOrFail(ProgramEntity, { id: group.program.id });
      const schedule = completeSchedule(data.schedule, program);
      const first = checkStartsInFuture(schedule);
      // A closed group's default deadline (its first session) follows the new schedule; a
      // deadline the admin set to anything else stays.
      const { timeZone, startsOn, weekday, startTime, durationMinutes } = group;
      const oldFirst = planSessions({ timeZone, startsOn, weekday, startTime, durationMinutes, sessionCount: 1 })[0]!;
      if (group.type === GroupType.CLOSED && group.enrolmentDeadline?.getTime() === oldFirst.startsAt.getTime())
        group.enrolmentDeadline = first.startsAt;
      applySchedule(group, schedule);
      await generateSessions(em, group, schedule);
    }
    if (data.title) group.title = data.title;
    if (data.capacity != null) group.capacity = data.capacity;
    if (data.enrolmentDeadline) group.enrolmentDeadline = data.enrolmentDeadline;
    if (data.cancellationWindowHours != null) group.cancellationWindowHours = data.cancellationWindowHours;
    if (data.holdMinutes != null) group.holdMinutes = data.holdMinutes;
    return group;
  });
}

/** DRAFT → OPEN: the group takes reservations. Its first session must still be ahead. */
export async function openGroup(ctx: Context, input: OpenGroupInput): Promise<GroupEntity> {
  const data = validateInput(openGroupSchema, input);
  return ctx.em.transactional(async (em) => {
    const group = await lockGroup(em, data.id);
    if (group.status !== GroupStatus.DRAFT) refuse(UserErrorCode.INVALID_STATE, ['input', 'id'], 'Only a draft group can be opened.');
    const first = await em.findOne(SessionEntity, { group }, { orderBy: { startsAt: 'asc' } });
    if (!first || first.startsAt.getTime() <= Date.now())
      refuse(UserErrorCode.INVALID_STATE, ['input', 'id'], 'The first session has already started.');
    group.status = GroupStatus.OPEN;
    return group;
  });
}

/**
 * Cancels a group in one call of `cancel_group_v1` under its lock: its future sessions are called
 * off and every active reservation is cancelled.
 */
export async function cancelGroup(ctx: Context, input: CancelGroupInput): Promise<GroupEntity> {
  const data = validateInput(cancelGroupSchema, input);
  const previous = await seatCall(
    pooledSql(ctx.em),
    sql`select cancel_group_v1(${data.id}::uuid, ${actorOf(ctx.viewer)}, ${data.reason}) as answer`,
  );
  noteChange({
    type: 'Group',
    id: data.id,
    before: { status: previous, cancellationReason: null },
    after: { status: GroupStatus.CANCELLED, cancellationReason: data.reason },
    groupId: data.id,
  });
  return ctx.em.fork().findOneOrFail(GroupEntity, { id: data.id });
}
