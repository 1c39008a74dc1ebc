import type { FilterQuery } from '@mikro-orm/core';
import { DateTime } from 'luxon';
import { ArgsType, type ClassType, Field, Int, ObjectType } from 'type-graphql';
import type { Context } from './context.js';
import { badInput } from './errors.js';
import { type View, viewsOf } from '../db/views.js';

@ObjectType({ description: 'Where a page sits in a list, for cursor pagination.' })
export class PageInfo {
  @Field({ description: 'True when more items follow; fetch them with `after: endCursor`.' })
  hasNextPage!: boolean;

  @Field({ description: 'Always false: lists are paginated forwards only.' })
  hasPreviousPage!: boolean;

  @Field(() => String, { nullable: true, description: 'Cursor of the first item of the page; null when the page is empty.' })
  startCursor!: string | null;

  @Field(() => String, { nullable: true, description: 'Cursor of the last item of the page; null when the page is empty.' })
  endCursor!: string | null;
}

@ArgsType()
export class PageArgs {
  @Field(() => Int, { defaultValue: 20, description: 'How many items to return, 1 to 100.' })
  first!: number;

  @Field(() => String, { nullable: true, description: 'Return the items after this cursor (`pageInfo.endCursor` of the previous page).' })
  after?: string | null;
}

export interface ConnectionResult<T> {
  edges: { node: T; cursor: string }[];
  nodes: T[];
  pageInfo: PageInfo;
  /** Counted only when the field is selected: a lazy getter. */
  readonly totalCount: Promise<number>;
}

/** Builds `<Name>Connection` and `<Name>Edge` object types for a node type. */
export function connectionOf<T extends object>(nodeType: ClassType<T>, name: string, what: string) {
  @ObjectType(`${name}Edge`, { description: `One ${what} in a page, with its cursor.` })
  class Edge {
    @Field(() => nodeType, { description: `The ${what}.` })
    node!: T;

    @Field({ description: 'Opaque cursor to pass as `after` to continue after this item.' })
    cursor!: string;
  }

  @ObjectType(`${name}Connection`, { description: `A page of ${what}s.` })
  class Connection {
    @Field(() => [Edge], { description: `The ${what}s of this page, each with its cursor.` })
    edges!: Edge[];

    @Field(() => [nodeType], { description: `The ${what}s of this page (the same as edges' nodes).` })
    nodes!: T[];

    @Field(() => PageInfo, { description: 'How to fetch the next page.' })
    pageInfo!: PageInfo;

    @Field(() => Int, { description: `How many ${what}s match in all pages (what you may see).` })
    totalCount!: number;
  }
  return Connection;
}

/** One ordering column for keyset pagination; `id` is always appended as the tie-breaker. */
export type OrderKey<E> = { property: keyof E & string; direction: 'asc' | 'desc' };

function encodeCursor(values: unknown[]): string {
  return Buffer.from(JSON.stringify(values), 'utf8').toString('base64url');
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/**
 * Whether a decoded cursor value can be compared with its column. A cursor is only base64 JSON,
 * so a forged one must be refused here, not reach PostgreSQL as a type error (an internal error).
 */
function fitsColumn(value: unknown, columnType: string): boolean {
  if (typeof value === 'number') {
    if (/^(?:int|smallint|bigint)/.test(columnType)) return Number.isSafeInteger(value);
    return /^(?:numeric|real|double|float)/.test(columnType) && Number.isFinite(value);
  }
  if (typeof value !== 'string' || value.includes('\u0000')) return false;
  if (columnType === 'uuid') return UUID.test(value);
  // bigint columns (the waitlist sequence) come back from pg as decimal strings.
  if (columnType.startsWith('bigint')) return /^-?\d{1,18}$/.test(value);
  if (columnType === 'date')
    return /^\d{4}-\d{2}-\d{2}$/.test(value) && value >= '0001' && DateTime.fromISO(value, { zone: 'UTC' }).isValid;
  if (columnType.startsWith('timestamp')) return /^\d{4}-\d{2}-\d{2}T/.test(value) && DateTime.fromISO(value).isValid;
  return !/^(?:int|smallint|bigint|numeric|real|double|float|bool)/.test(columnType);
}

function decodeCursor(cursor: string, columnTypes: string[]): (string | number)[] {
  try {
    const values: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (Array.isArray(values) && values.length === columnTypes.length && values.every((v, i) => fitsColumn(v, columnTypes[i]!))) {
      return values as (string | number)[];
    }
  } catch {
    /* falls through */
  }
  throw badInput('This is not a valid cursor.', 'INVALID_CURSOR');
}

export function checkFirst(first: number): void {
  if (!Number.isInteger(first) || first < 1 || first > 100) {
    throw badInput('`first` must be between 1 and 100.', 'INVALID_PAGE_SIZE');
  }
}

/**
 * Keyset pagination over an entity: one query for the page (first + 1 rows to know whether
 * more follow) and, only when `totalCount` is selected, one count. Nodes are read-only views.
 */
export async function paginate<E extends { id: string }>(
  ctx: Context,
  entity: new () => E,
  filter: FilterQuery<E> | (() => FilterQuery<E>),
  args: PageArgs,
  order: OrderKey<E>[] = [],
): Promise<ConnectionResult<View<E>>> {
  checkFirst(args.first);
  // A filter with raw() SQL fragments must be built afresh for each query (MikroORM consumes them).
  const build = typeof filter === 'function' ? filter : () => filter;
  const where = build();
  const keys: OrderKey<E>[] = [...order, { property: 'id', direction: 'asc' }];
  let pageWhere = where;
  if (args.after) {
    const meta = ctx.em.getMetadata().find(entity);
    const properties = (meta?.properties ?? {}) as Record<string, { columnTypes?: string[] } | undefined>;
    const columnTypes = keys.map((k) => properties[k.property]?.columnTypes?.[0]?.toLowerCase() ?? '');
    const values = decodeCursor(args.after, columnTypes);
    const alternatives = keys.map((key, i) => {
      const condition: Record<string, unknown> = {};
      for (let j = 0; j < i; j++) condition[keys[j]!.property] = values[j];
      condition[key.property] = { [key.direction === 'asc' ? '$gt' : '$lt']: values[i] };
      return condition;
    });
    pageWhere = { $and: [where, { $or: alternatives }] } as FilterQuery<E>;
  }
  const orderBy = Object.fromEntries(keys.map((k) => [k.property, k.direction])) as never;
  // Pages are read-only views (db/views.ts), like everything the loaders return.
  const raw = await ctx.em
    .createQueryBuilder(entity)
    .where(pageWhere as never)
    .orderBy(orderBy)
    .limit(args.first + 1)
    .execute('all', false);
  const rows = viewsOf(ctx.em, entity, raw);
  const page = rows.slice(0, args.first);
  const edges = page.map((node) => ({
    node,
    cursor: encodeCursor(keys.map((k) => (node as Record<string, unknown>)[k.property])),
  }));
  return {
    edges,
    nodes: page,
    pageInfo: {
      hasNextPage: rows.length > args.first,
      hasPreviousPage: false,
      startCursor: edges[0]?.cursor ?? null,
      endCursor: edges.at(-1)?.cursor ?? null,
    },
    get totalCount() {
      return ctx.em.count(entity, build());
    },
  };
}
