/**
 * The public catalogue cache: answers to `groups` / `group` queries that read only public,
 * viewer-independent fields, kept per process and served without running GraphQL again —
 * never stale.
 *
 * Exactness, across any number of API processes:
 * - Every transaction that changes a table the public fields read (groups, programs,
 *   therapists, sessions, co-therapists, reservations) records its transaction id in
 *   `catalogue_change` (statement triggers, migration 0005; one row per transaction).
 * - Before computing a cacheable answer, the process takes a PostgreSQL snapshot. Everything
 *   committed before it is in the answer; whatever commits later is not visible in it.
 * - Before serving a cached answer, one indexed query asks whether any change committed that
 *   the entry's snapshot does not see. If so the entry is dropped and the query runs afresh.
 *   A write acknowledged by any process is therefore in every answer served after it.
 * - Time changes answers too (a session starting moves `nextSession`; a hold expiring frees a
 *   seat): an entry is also dropped at the next such instant, taken with the snapshot.
 *
 * Only callers whose view of these fields is the public one share entries (anonymous callers,
 * partners, members); staff see drafts and are never served from the cache. Answers with
 * errors are never stored.
 */
import type { EntityManager } from '@mikro-orm/postgresql';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { type DocumentNode, type GraphQLSchema, Kind, parse, TypeInfo, visit, visitWithTypeInfo } from 'graphql';
import type { Logger } from 'pino';
import type { Viewer } from '../authz/viewer.js';
import { pooledSql, sql } from '../db/sql.js';
import { safeErrorFields } from './format-error.js';

/**
 * Who sends a request that carries credentials (the composition root hands in the accounts
 * module's authentication); throws when they are not valid.
 */
export type Identify = (request: FastifyRequest) => Promise<Viewer>;

/** Fields whose values are the same for every non-staff caller and come only from the tables the triggers watch. */
const PUBLIC_FIELDS: Record<string, ReadonlySet<string>> = {
  Query: new Set(['groups', 'group']),
  GroupConnection: new Set(['nodes', 'edges', 'pageInfo', 'totalCount']),
  GroupEdge: new Set(['cursor', 'node']),
  PageInfo: new Set(['hasNextPage', 'hasPreviousPage', 'startCursor', 'endCursor']),
  Group: new Set([
    'id',
    'title',
    'capacity',
    'status',
    'type',
    'format',
    'location',
    'timeZone',
    'enrolmentDeadline',
    'cancellationWindowHours',
    'holdMinutes',
    'cancellationReason',
    'createdAt',
    'updatedAt',
    'schedule',
    'program',
    'leadTherapist',
    'coTherapists',
    'seatsTaken',
    'seatsHeld',
    'seatsAvailable',
    'waitlistLength',
    'sessions',
    'nextSession',
  ]),
  GroupSchedule: new Set(['startsOn', 'weekday', 'startTime', 'durationMinutes', 'sessionCount']),
  Program: new Set([
    'id',
    'title',
    'summary',
    'description',
    'focusAreas',
    'sessionCount',
    'sessionLengthMinutes',
    'status',
    'createdAt',
    'updatedAt',
    'publishedAt',
    'archivedAt',
  ]),
  Therapist: new Set(['id', 'displayName', 'credentials', 'bio', 'timeZone', 'createdAt']),
  Session: new Set(['id', 'position', 'startsAt', 'endsAt', 'startsAtLocal', 'status', 'group']),
};

const PUBLIC_VIEWERS = new Set(['ANONYMOUS', 'PARTNER', 'MEMBER']);
const MAX_ENTRIES = 200;
const MAX_ENTRY_BYTES = 256 * 1024; // at most ~50 MB of answers per process
const MAX_DOCUMENTS = 200;
/** Entries older than this are recomputed anyway; also bounds how long `catalogue_change` rows matter. */
const MAX_AGE_MS = 5 * 60_000;

interface Entry {
  body: string;
  snapshot: string;
  expiresAt: number;
}

/** What a cacheable miss carries from before execution to the answer. */
export interface PendingEntry {
  key: string;
  snapshot: string;
  expiresAt: number;
}

/** Whether a query document reads only public fields (decided once per document text). */
function isPublicDocument(schema: GraphQLSchema, document: DocumentNode, operationName: string | undefined): boolean {
  const operations = document.definitions.filter((d) => d.kind === Kind.OPERATION_DEFINITION);
  const operation = operationName
    ? operations.find((o) => o.name?.value === operationName)
    : operations.length === 1
      ? operations[0]
      : null;
  if (operation?.operation !== 'query') return false;
  const typeInfo = new TypeInfo(schema);
  let allowed = true;
  const check = (node: DocumentNode['definitions'][number]) =>
    visit(
      node,
      visitWithTypeInfo(typeInfo, {
        Field(field) {
          if (field.name.value === '__typename') return;
          const parent = typeInfo.getParentType()?.name;
          if (!parent || !PUBLIC_FIELDS[parent]?.has(field.name.value)) allowed = false;
        },
      }),
    );
  check(operation);
  // Fragments are checked whole (even parts the operation does not spread): simple and safe.
  for (const definition of document.definitions) if (definition.kind === Kind.FRAGMENT_DEFINITION) check(definition);
  return allowed;
}

export class PublicCache {
  private readonly entries = new Map<string, Entry>();
  private readonly documents = new Map<string, boolean>();

  constructor(
    private readonly schema: GraphQLSchema,
    private readonly fork: () => EntityManager,
    private readonly logger: Logger,
    private readonly identify: Identify,
  ) {}

  /**
   * Before GraphQL: serves a fresh cached answer (true), or marks a cacheable miss on the
   * request for `store` (false). Anything unusual simply falls through to the normal path.
   */
  async serve(request: FastifyRequest, reply: FastifyReply): Promise<boolean> {
    try {
      const key = await this.keyOf(request);
      if (!key) return false;
      const em = this.fork();
      const entry = this.entries.get(key);
      if (entry) {
        if (entry.expiresAt > Date.now() && (await this.unchangedSince(em, entry.snapshot))) {
          reply.header('content-type', 'application/json; charset=utf-8').header('x-kindred-cache', 'hit');
          await reply.send(entry.body);
          return true;
        }
        this.entries.delete(key);
      }
      // The next instant time alone changes an answer, measured on the database's clock.
      const [stamp] = await pooledSql(em).query<{
        snapshot: string;
        valid_ms: number | null;
      }>(sql`select pg_current_snapshot()::text as snapshot,
                extract(epoch from least(
                  (select min(starts_at) from group_session where status = 'SCHEDULED' and starts_at > now()),
                  (select min(expires_at) from reservation where status = 'HELD' and expires_at > now()),
                  (select min(enrolment_deadline) from therapy_group where enrolment_deadline > now())) - now())::float8 * 1000 as valid_ms`);
      const validMs = stamp!.valid_ms ?? Number.POSITIVE_INFINITY;
      request.publicCacheEntry = { key, snapshot: stamp!.snapshot, expiresAt: Date.now() + Math.min(validMs, MAX_AGE_MS) };
      return false;
    } catch (error) {
      // The cache is an optimisation: on any failure the request takes the normal path, uncached.
      this.logger.warn({ err: safeErrorFields(error) }, 'public cache bypassed');
      return false;
    }
  }

  /** After GraphQL: keeps a successful answer of a cacheable miss. */
  store(pending: PendingEntry, statusCode: number, body: unknown): void {
    if (statusCode !== 200 || typeof body !== 'string' || body.length > MAX_ENTRY_BYTES) return;
    if (!body.startsWith('{"data":') || body.includes('"errors":')) return;
    if (this.entries.size >= MAX_ENTRIES) this.entries.delete(this.entries.keys().next().value!);
    this.entries.set(pending.key, { body, snapshot: pending.snapshot, expiresAt: pending.expiresAt });
  }

  private async keyOf(request: FastifyRequest): Promise<string | null> {
    if (request.method !== 'POST') return null;
    const body = request.body as { query?: unknown; variables?: unknown; operationName?: unknown } | undefined;
    if (!body || typeof body.query !== 'string' || body.query.length > 20_000) return null;
    const operationName = typeof body.operationName === 'string' ? body.operationName : undefined;
    if (!this.isPublic(body.query, operationName)) return null;
    try {
      const viewer = await this.identify(request);
      request.authenticatedViewer = viewer; // the GraphQL context reuses it on a miss
      if (!PUBLIC_VIEWERS.has(viewer.kind)) return null;
    } catch {
      return null; // the normal path answers a bad token
    }
    return JSON.stringify([body.query, operationName ?? null, body.variables ?? null]);
  }

  private isPublic(query: string, operationName: string | undefined): boolean {
    const memo = `${operationName ?? ''}\0${query}`;
    let decision = this.documents.get(memo);
    if (decision === undefined) {
      try {
        decision = isPublicDocument(this.schema, parse(query), operationName);
      } catch {
        decision = false;
      }
      if (this.documents.size >= MAX_DOCUMENTS) this.documents.delete(this.documents.keys().next().value!);
      this.documents.set(memo, decision);
    }
    return decision;
  }

  /** True when no change to the public tables committed outside the snapshot. */
  private async unchangedSince(em: EntityManager, snapshot: string): Promise<boolean> {
    try {
      // Plain SQL (this statement runs on every cached answer), but not prepared: only the
      // snapshot's value tells the planner that the range is tiny; a generic plan, chosen while
      // the log was small, scanned all of it once it had grown (15 ms at 360,000 rows).
      const [row] = await pooledSql(em).query<{ changed: boolean }>(
        sql`select exists (select 1 from catalogue_change
                         where txid >= pg_snapshot_xmin(${snapshot}::pg_snapshot)
                           and not pg_visible_in_snapshot(txid, ${snapshot}::pg_snapshot)) as changed`,
        { prepare: false },
      );
      return row?.changed === false;
    } catch (error) {
      this.logger.warn({ err: safeErrorFields(error) }, 'public cache check failed');
      return false;
    }
  }
}

/**
 * Purges change-log rows no entry can need. A row first gets `finished_by` once its
 * transaction has ended (committed or not: its id is below every running one), so it committed
 * before that instant; entries live at most MAX_AGE_MS, so after twice that nobody reads it.
 */
export async function purgeCatalogueChanges(em: EntityManager): Promise<number> {
  const db = pooledSql(em);
  await db.query(
    sql`update catalogue_change set finished_by = now()
         where finished_by is null and txid < pg_snapshot_xmin(pg_current_snapshot())`,
  );
  const rows = await db.query<{ n: number }>(
    sql`with gone as (delete from catalogue_change where finished_by < now() - make_interval(secs => ${(2 * MAX_AGE_MS) / 1000}) returning 1)
        select count(*)::int as n from gone`,
  );
  return rows[0]?.n ?? 0;
}

declare module 'fastify' {
  interface FastifyRequest {
    publicCacheEntry?: PendingEntry;
    /** The caller, when the cache already resolved its token (saves the context a lookup). */
    authenticatedViewer?: Viewer;
  }
}
