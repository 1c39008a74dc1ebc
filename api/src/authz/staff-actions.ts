/**
 * Everything staff do is audited (docs/personal-identifiers.md, "Staff actions"): every call of a
 * mutation by an admin, a therapist or a partner appends one `staff_action` row — who, which
 * mutation, its outcome, what it was about, the non-identifier fields it changed before and
 * after, the request — whether it succeeded, was refused or failed. It cannot be forgotten: the
 * rows are written by a wrapper that `auditMutations` puts around every field of the Mutation type
 * when the schema is built, not by each mutation.
 *
 * What changed is collected while the mutation runs (an AsyncLocalStorage scope): entities the
 * ORM flushes are noted by `StaffActionSubscriber`, and writes made with plain SQL (the seat
 * engine) are noted with `noteChange`. Values that are personal identifiers or secrets are never
 * recorded, only that the field changed (`REDACTED`).
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import type { ChangeSet, EventSubscriber, FlushEventArgs } from '@mikro-orm/core';
import {
  defaultFieldResolver,
  type GraphQLError,
  type GraphQLFieldResolver,
  type GraphQLOutputType,
  type GraphQLSchema,
  getNamedType,
  isObjectType,
} from 'graphql';
import type { Logger } from 'pino';
import { newId } from '../db/ids.js';
import { pooledSql, type SqlClient, sql } from '../db/sql.js';
import type { Context } from '../graphql/context.js';
import { ErrorCode, KindredError } from '../graphql/errors.js';
import { safeErrorFields } from '../graphql/format-error.js';
import { decodeGlobalId } from '../graphql/ids.js';
import { nodeSource } from '../graphql/node.js';
import { countStaffActionLogFailure } from '../metrics/series.js';
import type { Viewer } from './viewer.js';

/** One object a mutation changed: its GraphQL type name and row id, its fields before and after. */
export interface RecordedChange {
  type: string;
  id: string;
  before?: Record<string, unknown>;
  after?: Record<string, unknown>;
  /** The group the change belongs to, when it belongs to one (therapists see those actions). */
  groupId?: string | null;
}

interface Scope {
  changes: RecordedChange[];
}

const scope = new AsyncLocalStorage<Scope>();

/** Notes a change made with plain SQL by the mutation in progress (nothing outside one). */
export function noteChange(change: RecordedChange): void {
  scope.getStore()?.changes.push(change);
}

/** Shown instead of a value that must never be stored in the log. */
export const REDACTED = '[redacted]';

/**
 * Fields whose values never enter the log, by entity: personal identifiers (the member's identity,
 * a signature's typed name) and credentials. `*` means every field of the entity.
 */
const NEVER_RECORDED: Record<string, ReadonlySet<string> | '*'> = {
  MemberIdentityEntity: '*',
  DataKeyEntity: '*',
  MemberEntity: new Set(['dataKey']),
  SignatureEntity: new Set(['typedName']),
  AccountEntity: new Set(['email', 'emailIndex', 'dataKey', 'passwordHash', 'totpSecret', 'totpPendingSecret']),
  AuthSessionEntity: new Set(['tokenHash']),
  PartnerApiKeyEntity: new Set(['secretHash']),
  AccountTokenEntity: new Set(['tokenHash', 'email', 'emailIndex', 'dataKey']),
  RecoveryCodeEntity: new Set(['codeHash']),
};

/** A value as JSON can hold it: references by id, dates as ISO strings. */
function plain(value: unknown): unknown {
  if (value === undefined) return null;
  if (value instanceof Date) return value.toISOString();
  if (value && typeof value === 'object') {
    if ('id' in value && typeof (value as { id: unknown }).id === 'string') return (value as { id: string }).id;
    if (Array.isArray(value)) return value.map(plain);
    return JSON.parse(JSON.stringify(value));
  }
  return value;
}

function fieldsOf(entity: string, data: Record<string, unknown> | undefined, keys: string[]): Record<string, unknown> | undefined {
  if (!data) return undefined;
  const hidden = NEVER_RECORDED[entity];
  const fields: Record<string, unknown> = {};
  for (const key of keys) fields[key] = hidden === '*' || hidden?.has(key) ? REDACTED : plain(data[key]);
  return fields;
}

/** MikroORM: the changes of each flush inside a staff mutation, noted with their before and after. */
export class StaffActionSubscriber implements EventSubscriber {
  onFlush(args: FlushEventArgs): void {
    const current = scope.getStore();
    if (!current) return;
    for (const changeSet of args.uow.getChangeSets() as ChangeSet<Record<string, unknown>>[]) {
      const entity = changeSet.name;
      const keys = Object.keys(changeSet.payload ?? {});
      const original = changeSet.originalEntity as Record<string, unknown> | undefined;
      const after = changeSet.type === 'delete' ? undefined : fieldsOf(entity, changeSet.entity, keys);
      const before = changeSet.type === 'create' ? undefined : fieldsOf(entity, original, keys);
      const group = (changeSet.entity.group ?? original?.group) as { id?: string } | string | undefined;
      current.changes.push({
        type: entity.replace(/Entity$/, ''),
        id: changeSet.getSerializedPrimaryKey() ?? '',
        ...(before ? { before } : {}),
        ...(after ? { after } : {}),
        groupId: entity === 'GroupEntity' ? changeSet.getSerializedPrimaryKey() : typeof group === 'string' ? group : (group?.id ?? null),
      });
    }
    // Many-to-many lists (a group's co-therapists, a program's authors) change apart from their owner's row.
    for (const collection of args.uow.getCollectionUpdates()) {
      const owner = collection.owner as { id?: string; constructor: { name: string } };
      const ids = (items: { id?: string }[] | undefined) => (items ?? []).map((item) => item.id ?? null);
      const field = collection.property.name;
      current.changes.push({
        type: owner.constructor.name.replace(/Entity$/, ''),
        id: owner.id ?? '',
        before: { [field]: ids(collection.getSnapshot() as { id?: string }[] | undefined) },
        after: { [field]: ids(collection.getItems(false) as { id?: string }[]) },
        groupId: owner.constructor.name === 'GroupEntity' ? (owner.id ?? null) : null,
      });
    }
  }
}

/**
 * One row for an operator command run on the server (no API call): `subject` is what it made,
 * and also the row's actor id (an operator has no account of its own).
 */
export async function recordOperatorAction(db: SqlClient, action: string, subject: { type: string; id: string }): Promise<void> {
  const requestId = `operator:${action}`;
  await db.query(
    sql`insert into staff_action (id, actor_kind, actor_id, actor_account_id, action, outcome, subject_type, subject_id, changes, request_id)
        values (${newId()}, 'OPERATOR', ${subject.id}, null, ${action}, 'DONE', ${subject.type}, ${subject.id}, '[]'::jsonb, ${requestId})`,
  );
}

/** Who a row names as the actor: admins by their account, therapists and partners by their own id. */
function actorOf(viewer: Viewer): { kind: string; id: string; accountId: string | null } | null {
  if (viewer.kind === 'ADMIN') return { kind: 'ADMIN', id: viewer.accountId, accountId: viewer.accountId };
  if (viewer.kind === 'THERAPIST') return { kind: 'THERAPIST', id: viewer.therapistId, accountId: viewer.accountId };
  if (viewer.kind === 'PARTNER') return { kind: 'PARTNER', id: viewer.partnerId, accountId: null };
  return null;
}

const REFUSALS = new Set<string>([
  ErrorCode.UNAUTHENTICATED,
  ErrorCode.FORBIDDEN,
  ErrorCode.NOT_FOUND,
  ErrorCode.BAD_USER_INPUT,
  ErrorCode.RATE_LIMITED,
]);

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** The payload's object (the first field holding one), as the action's subject. */
function subjectOf(payload: unknown, returnType: GraphQLOutputType): { type: string; id: string } | null {
  const type = getNamedType(returnType);
  if (!payload || typeof payload !== 'object' || !isObjectType(type)) return null;
  for (const [name, field] of Object.entries(type.getFields())) {
    const value = (payload as Record<string, unknown>)[name];
    const id = value && typeof value === 'object' ? (value as { id?: unknown }).id : undefined;
    if (typeof id === 'string' && UUID.test(id)) return { type: getNamedType(field.type).name, id };
  }
  return null;
}

/**
 * For a call that returned no object (refused, failed): the first object its input names, so an
 * attempt on a therapist or a group is found under that subject too.
 */
function subjectOfInput(args: Record<string, unknown>): { type: string; id: string } | null {
  const input = args.input;
  if (!input || typeof input !== 'object') return null;
  for (const value of Object.values(input)) {
    const decoded = typeof value === 'string' ? decodeGlobalId(value) : null;
    if (decoded && nodeSource(decoded.type)) return decoded;
  }
  return null;
}

/**
 * Wraps every Mutation field: a call by an admin, a therapist or a partner runs inside a change
 * scope and then appends its one row. If that row cannot be written, the caller gets an
 * INTERNAL_SERVER_ERROR (operators are alerted by the log line) — never a silent success.
 */
export function auditMutations(schema: GraphQLSchema, logger: Logger): GraphQLSchema {
  const mutation = schema.getMutationType();
  for (const field of Object.values(mutation?.getFields() ?? {})) {
    const inner: GraphQLFieldResolver<unknown, Context> = field.resolve ?? defaultFieldResolver;
    field.resolve = async (source, args, ctx: Context, info) => {
      const actor = actorOf(ctx.viewer);
      if (!actor) return inner(source, args, ctx, info);
      const current: Scope = { changes: [] };
      let outcome = 'DONE';
      let result: unknown;
      try {
        result = await scope.run(current, () => inner(source, args, ctx, info));
        if (((result as { userErrors?: unknown[] } | null)?.userErrors?.length ?? 0) > 0) outcome = 'REFUSED';
        return result;
      } catch (error) {
        const code = (error as GraphQLError).extensions?.code;
        outcome = typeof code === 'string' && REFUSALS.has(code) ? 'REFUSED' : 'FAILED';
        throw error;
      } finally {
        const subject =
          subjectOf(result, info.returnType) ?? current.changes.find((change) => UUID.test(change.id)) ?? subjectOfInput(args) ?? null;
        const groupId = current.changes.find((change) => change.groupId)?.groupId ?? null;
        const changes = current.changes.map(({ groupId: _group, ...change }) => change);
        try {
          await pooledSql(ctx.em).query(
            sql`insert into staff_action (id, actor_kind, actor_id, actor_account_id, action, outcome, subject_type, subject_id, group_id, changes, request_id)
                values (${newId()}, ${actor.kind}, ${actor.id}, ${actor.accountId}, ${info.fieldName}, ${outcome}, ${subject?.type ?? null},
                        ${subject?.id ?? null}, ${groupId}, ${JSON.stringify(changes)}::jsonb, ${ctx.requestId})`,
          );
        } catch (cause) {
          logger.error({ err: safeErrorFields(cause), requestId: ctx.requestId, action: info.fieldName }, 'staff action log write failed');
          countStaffActionLogFailure();
          // biome-ignore lint/correctness/noUnsafeFinally: the caller must learn the action went unrecorded.
          throw new KindredError(
            ErrorCode.INTERNAL_SERVER_ERROR,
            'The action could not be recorded in the audit log; check before retrying.',
          );
        }
      }
    };
  }
  return schema;
}
