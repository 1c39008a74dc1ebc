import type { EntityManager } from '@mikro-orm/postgresql';
import { LockMode, ref } from '@mikro-orm/core';
import type { Context } from '../../graphql/context.js';
import { sqlOf } from '../../db/sql.js';
import { refuse, UserErrorCode, validateInput } from '../../graphql/user-errors.js';
import { ProgramEntity, ProgramModuleEntity, ProgramStatus } from '../programs/index.js';
import { actorOf, lockGroups, ReservationEntity, ReservationStatus, setSeatActor } from '../reservations/index.js';
import { TherapistEntity } from '../therapists/index.js';
import { planSessions, type WeeklySchedule } from './schedule.js';
import { SessionEntity, SessionStatus } from './session.entity.js';
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
    await setSeatActor(await sqlOf(em), ctx.viewer, 'capacity changed');
    if (data.capacity != null && data.capacity < group.capacity) {
      const taken = await em.count(ReservationEntity, { group, status: { $in: [ReservationStatus.HELD, ReservationStatus.CONFIRMED] } });
      if (data.capacity < taken)
        refuse(UserErrorCode.CAPACITY_BELOW_TAKEN, ['input', 'capacity'], `${taken} seats are taken; capacity cannot go below that.`);
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
    const raised = data.capacity != null && data.capacity > group.capacity;
    if (data.capacity != null) group.capacity = data.capacity;
    if (data.enrolmentDeadline) group.enrolmentDeadline = data.enrolmentDeadline;
    if (data.cancellationWindowHours != null) group.cancellationWindowHours = data.cancellationWindowHours;
    if (data.holdMinutes != null) group.holdMinutes = data.holdMinutes;
    if (raised) {
      // Seats freed by more capacity go to the waitlist at once (rule 4), in this transaction.
      await em.flush();
      await lockGroups(await sqlOf(em), [group.id], { name: actorOf(ctx.viewer), reason: 'capacity changed' });
    }
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

/** Cancels a group: its future sessions are called off and every active reservation is cancelled. */
export async function cancelGroup(ctx: Context, input: CancelGroupInput): Promise<GroupEntity> {
  const data = validateInput(cancelGroupSchema, input);
  return ctx.em.transactional(async (em) => {
    const group = await lockGroup(em, data.id);
    if (isFinished(group)) refuse(UserErrorCode.INVALID_STATE, ['input', 'id'], 'This group is already cancelled or completed.');
    await setSeatActor(await sqlOf(em), ctx.viewer, `group cancelled: ${data.reason}`);
    group.status = GroupStatus.CANCELLED;
    group.cancellationReason = data.reason;
    await em.nativeUpdate(SessionEntity, { group, status: SessionStatus.SCHEDULED }, { status: SessionStatus.CANCELLED });
    await em.nativeUpdate(
      ReservationEntity,
      { group, status: { $in: [ReservationStatus.HELD, ReservationStatus.CONFIRMED, ReservationStatus.WAITLISTED] } },
      { status: ReservationStatus.CANCELLED, endedAt: new Date(), endedBy: 'SYSTEM', cancelledLate: false, expiresAt: null },
    );
    return group;
  });
}
