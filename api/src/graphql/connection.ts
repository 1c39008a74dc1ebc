import { DateTime } from 'luxon';
import { ArgsType, type ClassType, Field, Int, ObjectType } from 'type-graphql';
import type { Context } from './context.js';
import { badInput } from './errors.js';
import { join, pooledSql, type Statement, sql } from '../db/sql.js';
import { type View, viewColumn, viewColumns, viewsOf, viewTable } from '../db/views.js';

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

const SERIAL_TYPES: Partial<Record<string, string>> = { smallserial: 'smallint', serial: 'integer', bigserial: 'bigint' };

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/**
 * Whether a decoded cursor value can be compared with its column. A cursor is only base64 JSON,
 * so a forged one must be refused here, not reach PostgreSQL as a type error (an internal error).
 */
function fitsColumn(value: unknown, declaredType: string): boolean {
  // A serial column is its integer type drawing from a sequence (the identifier audit's id).
  const columnType = SERIAL_TYPES[declaredType] ?? declaredType;
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

function checkFirst(first: number): void {
  if (!Number.isInteger(first) || first < 1 || first > 100) {
    throw badInput('`first` must be between 1 and 100.', 'INVALID_PAGE_SIZE');
  }
}

/**
 * Keyset pagination over an entity's table (alias `t` in `where`): one statement for the page
 * (first + 1 rows, to know whether more follow) and, only when `totalCount` is selected, one
 * count. Nodes are read-only views. Not prepared: which filters a page carries varies, and its
 * best plan depends on their values (docs/decisions/0001-raw-sql-for-seats.md).
 */
export async function paginate<E extends { id: string }>(
  ctx: Context,
  entity: new () => E,
  where: Statement,
  args: PageArgs,
  order: OrderKey<E>[] = [],
): Promise<ConnectionResult<View<E>>> {
  checkFirst(args.first);
  const { em } = ctx;
  // `id` ends every order (unique, so the keyset is total), ascending unless the order names it.
  const keys: OrderKey<E>[] = order.some((key) => key.property === 'id') ? order : [...order, { property: 'id', direction: 'asc' }];
  const columns = keys.map((key) => viewColumn(em, entity, key.property, 't'));
  let after = sql`true`;
  if (args.after) {
    const meta = em.getMetadata().find(entity);
    const properties = (meta?.properties ?? {}) as Record<string, { columnTypes?: string[] } | undefined>;
    const values = decodeCursor(
      args.after,
      keys.map((k) => properties[k.property]?.columnTypes?.[0]?.toLowerCase() ?? ''),
    );
    // (k0 > v0) or (k0 = v0 and k1 > v1) or …, each comparison in its key's direction.
    const alternatives = keys.map((key, i) => {
      const equal = columns.slice(0, i).map((column, j) => sql`${column} = ${values[j]}`);
      const beyond = sql`${columns[i]!} ${key.direction === 'asc' ? sql`>` : sql`<`} ${values[i]}`;
      return sql`(${join([...equal, beyond], ' and ')})`;
    });
    after = sql`(${join(alternatives, ' or ')})`;
  }
  const orderBy = join(
    keys.map((key, i) => sql`${columns[i]!} ${key.direction === 'asc' ? sql`asc` : sql`desc`}`),
    ', ',
  );
  const table = viewTable(em, entity);
  const found = await pooledSql(em).query(
    sql`select ${viewColumns(em, entity, 't')} from ${table} t where ${where} and ${after} order by ${orderBy} limit ${args.first + 1}`,
    { prepare: false },
  );
  const rows = viewsOf(em, entity, found);
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
      return pooledSql(em)
        .query<{ n: number }>(sql`select count(*)::int as n from ${table} t where ${where}`, { prepare: false })
        .then(([row]) => row!.n);
    },
  };
}
