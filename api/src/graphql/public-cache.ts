/**
 * The public catalogue cache: answers to `groups` / `group` queries that read only public,
 * viewer-independent fields, kept per process and served without running GraphQL again —
 * never stale, and invalidated only by the changes an answer shows
 * (docs/decisions/0011-catalogue-scopes.md).
 *
 * Exactness, across any number of API processes:
 * - Every transaction that changes a table the public fields read (groups, programs,
 *   therapists, sessions, co-therapists, reservations) records, once per scope, which part of the
 *   catalogue it changed in `catalogue_scope_change` (statement triggers, migration 0019):
 *   `group:<id>`, `seats:<id>`, `program:<id>`, `therapist:<id>`, `catalogue` (which groups a list
 *   holds, in which order), `available` (which groups have a free seat), `*` (a truncate).
 * - Before computing a cacheable answer, the process takes a PostgreSQL snapshot. Everything
 *   committed before it is in the answer; whatever commits later is not visible in it.
 * - While GraphQL runs, the resolved objects name the answer's scopes (graphql/catalogue-scopes.ts):
 *   a page depends on `catalogue`, on each group it shows and, only if it shows seat figures, on
 *   those groups' seats; a page filtered on `hasSeatsAvailable` also on `available`. A reservation
 *   therefore leaves cached answers about other groups, and seatless pages, in place.
 * - Before serving a cached answer, one statement (`catalogue_changes_since`, migration 0020)
 *   asks which of its scopes have a change committed that the entry's snapshot does not see: an
 *   index range per scope from the snapshot's first running transaction that has committed since
 *   (else its xmax), forced by the function (no sequential or bitmap scan), so it costs the same
 *   at any log size, with stale statistics and beside a long transaction. The same statement
 *   takes a new snapshot. None changed: the entry is served. Otherwise the entry is dropped and
 *   the query runs afresh — unless only `seats:<id>` scopes changed (below). A write acknowledged
 *   by any process is therefore in every answer served after it.
 * - Seat splice: a miss also records where its answer shows seat figures (response path, group,
 *   field, the group's capacity). When the only changed scopes are seat scopes, a second
 *   statement reads those groups' seat figures fresh — the groups module's own read, handed in by
 *   the composition root (`ReadSeats`) — and they are written at the recorded paths; the answer
 *   is served (`x-kindred-cache: spliced`) and kept with the check's snapshot. That snapshot saw
 *   no change to the entry's other scopes, so the rest of the body is exact at it; the figures
 *   are at least as new (a seat change between the two statements is simply spliced again next
 *   time). The entry's expiry is brought forward to the first live hold of those groups expiring.
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
import { countCacheLookup } from '../metrics/series.js';
import { pooledSql, sql } from '../db/sql.js';
import type { CatalogueReads, SeatPath } from './catalogue-scopes.js';
import { safeErrorFields } from './format-error.js';
import { spliceSeats } from './seat-splice.js';

/**
 * Who sends a request that carries credentials (the composition root hands in the accounts
 * module's authentication); throws when they are not valid.
 */
export type Identify = (request: FastifyRequest) => Promise<Viewer>;

/**
 * The Group seat fields (`seatsTaken`, …) of groups, given with the capacity their cached answer
 * shows, read fresh in one statement; and how long time alone leaves them so (milliseconds,
 * the database's clock). The composition root hands in the groups module's seat read.
 */
export type ReadSeats = (
  em: EntityManager,
  capacities: ReadonlyMap<string, number>,
) => Promise<{ fields: Map<string, Record<string, number>>; validMs: number }>;

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
/** Entries older than this are recomputed anyway; also bounds how long `catalogue_scope_change` rows matter. */
const MAX_AGE_MS = 5 * 60_000;

interface Entry {
  body: string;
  snapshot: string;
  expiresAt: number;
  /** The change-log scopes the answer read (`*` always among them). */
  scopes: string[];
  /** Where it shows seat figures, and the capacities of those groups. */
  seats: SeatPath[];
  capacities: Map<string, number>;
}

/** What a cacheable miss carries from before execution to the answer. */
export interface PendingEntry {
  key: string;
  snapshot: string;
  expiresAt: number;
  /** Filled while GraphQL resolves the answer (graphql/catalogue-scopes.ts). */
  reads: CatalogueReads;
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
    private readonly readSeats: ReadSeats,
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
        const check = entry.expiresAt > Date.now() ? await this.changesSince(em, entry) : null;
        const outcome = check?.changed.length === 0 ? 'hit' : 'spliced';
        const body = outcome === 'hit' ? entry.body : check ? await this.splice(em, key, entry, check) : null;
        if (body !== null) {
          countCacheLookup(outcome);
          reply.header('content-type', 'application/json; charset=utf-8').header('x-kindred-cache', outcome);
          await reply.send(body);
          return true;
        }
        this.entries.delete(key);
      }
      countCacheLookup(entry ? 'stale' : 'miss');
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
      request.publicCacheEntry = {
        key,
        snapshot: stamp!.snapshot,
        expiresAt: Date.now() + Math.min(validMs, MAX_AGE_MS),
        reads: { scopes: new Set(['*']), seats: [], capacities: new Map() },
      };
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
    const { scopes, seats, capacities } = pending.reads;
    this.entries.set(pending.key, {
      body,
      snapshot: pending.snapshot,
      expiresAt: pending.expiresAt,
      scopes: [...scopes],
      seats,
      capacities,
    });
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

  /** Which of the entry's scopes changed outside its snapshot, and a snapshot taken by the same statement (null: unknown). */
  private async changesSince(em: EntityManager, entry: Entry): Promise<{ changed: string[]; snapshot: string } | null> {
    try {
      const [row] = await pooledSql(em).query<{ changed: string[]; snapshot: string }>(
        sql`select catalogue_changes_since(${entry.snapshot}::pg_snapshot, ${entry.scopes}::text[]) as changed,
                   pg_current_snapshot()::text as snapshot`,
      );
      return row ?? null;
    } catch (error) {
      this.logger.warn({ err: safeErrorFields(error) }, 'public cache check failed');
      return null;
    }
  }

  /**
   * The entry's body with fresh seat figures, when its only changes are seat scopes, kept with
   * the check's snapshot (see the header); null when it must be recomputed.
   */
  private async splice(
    em: EntityManager,
    key: string,
    entry: Entry,
    check: { changed: string[]; snapshot: string },
  ): Promise<string | null> {
    const capacities = new Map<string, number>();
    for (const scope of check.changed) {
      const capacity = scope.startsWith('seats:') ? entry.capacities.get(scope.slice('seats:'.length)) : undefined;
      if (capacity === undefined) return null;
      capacities.set(scope.slice('seats:'.length), capacity);
    }
    try {
      const fresh = await this.readSeats(em, capacities);
      const body = spliceSeats(entry.body, entry.seats, fresh.fields);
      const expiresAt = Math.min(entry.expiresAt, Date.now() + fresh.validMs);
      if (this.entries.get(key) === entry) this.entries.set(key, { ...entry, body, snapshot: check.snapshot, expiresAt });
      return body;
    } catch (error) {
      this.logger.warn({ err: safeErrorFields(error) }, 'public cache splice failed');
      return null;
    }
  }
}

/**
 * A purge of change-log rows no entry can need, for one process's periodic job. Each run notes
 * the oldest transaction still running (the xmin of a fresh snapshot): every transaction below it
 * had ended by then. Rows below an xmin noted at least twice MAX_AGE_MS ago belong to transactions
 * that committed before any live entry was computed, so every entry sees them. Each run deletes
 * only the txid range since its previous run, an index range however large the log has grown.
 */
export function catalogueChangePurge(): (em: EntityManager) => Promise<number> {
  const noted: { at: number; xmin: string }[] = [];
  let purgedTo: string | null = null;
  return async (em) => {
    const [current] = await pooledSql(em).query<{ xmin: string }>(sql`select pg_snapshot_xmin(pg_current_snapshot())::text as xmin`);
    noted.push({ at: Date.now(), xmin: current!.xmin });
    let before: string | null = null;
    while (noted.length > 0 && noted[0]!.at <= Date.now() - 2 * MAX_AGE_MS) before = noted.shift()!.xmin;
    if (before === null) return 0;
    const purged = await purgeCatalogueChanges(em, purgedTo, before);
    purgedTo = before;
    return purged;
  };
}

/** Deletes the change-log rows of transactions in [from, before) (from null: all below `before`). */
export async function purgeCatalogueChanges(em: EntityManager, from: string | null, before: string): Promise<number> {
  const [row] = await pooledSql(em).query<{ n: number }>(
    sql`with gone as (delete from catalogue_scope_change
                       where (txid::text)::bigint >= coalesce(${from}::bigint, 0) and (txid::text)::bigint < ${before}::bigint returning 1)
        select count(*)::int as n from gone`,
  );
  return row?.n ?? 0;
}

declare module 'fastify' {
  interface FastifyRequest {
    publicCacheEntry?: PendingEntry;
    /** The caller, when the cache already resolved its token (saves the context a lookup). */
    authenticatedViewer?: Viewer;
  }
}
