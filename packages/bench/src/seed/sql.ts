/** Bulk writes: arrays bound as parameters and expanded with `unnest`, a few thousand rows per statement. */
import type pg from 'pg';

export type Value = string | number | boolean | null | string[] | Buffer;

export interface Column {
  name: string;
  /** PostgreSQL type of the column, e.g. `uuid`, `timestamptz`, `group_status`, `text[]`. */
  type: string;
}

export const BATCH_ROWS = 5000;

/** Arrays of arrays cannot be unnested one level: a `text[]` value travels joined by this. */
const SEPARATOR = '\u001f';

/** One parameter per column: the column's values across `rows`. */
export function columnArrays(columns: Column[], rows: Value[][]): unknown[] {
  return columns.map((c, i) => rows.map((row) => (c.type.endsWith('[]') ? (row[i] as string[]).join(SEPARATOR) : row[i])));
}

/** `unnest($1::uuid[], …) as u(c0, …)` for `columns`, and the select list that rebuilds each column. */
export function unnestFrom(columns: Column[]): { from: string; select: string } {
  const arrays = columns.map((c, i) => `$${i + 1}::${c.type.endsWith('[]') ? 'text' : c.type}[]`);
  const aliases = columns.map((_, i) => `c${i}`);
  const select = columns.map((c, i) => (c.type.endsWith('[]') ? `string_to_array(u.c${i}, chr(31))::${c.type}` : `u.c${i}`));
  return { from: `unnest(${arrays.join(', ')}) as u(${aliases.join(', ')})`, select: select.join(', ') };
}

/** Inserts `rows` (values in `columns` order) into `table`, batch by batch; reports each batch's size. */
export async function insertRows(
  client: pg.ClientBase,
  table: string,
  columns: Column[],
  rows: Value[][],
  onBatch: (rows: number) => void = () => {},
): Promise<void> {
  const { from, select } = unnestFrom(columns);
  const sql = `insert into "${table}" (${columns.map((c) => `"${c.name}"`).join(', ')}) select ${select} from ${from}`;
  for (let start = 0; start < rows.length; start += BATCH_ROWS) {
    const batch = rows.slice(start, start + BATCH_ROWS);
    await client.query(sql, columnArrays(columns, batch));
    onBatch(batch.length);
  }
}

/** Runs `work` in one transaction. */
export async function inTransaction<T>(client: pg.ClientBase, work: () => Promise<T>): Promise<T> {
  await client.query('begin');
  try {
    const result = await work();
    await client.query('commit');
    return result;
  } catch (error) {
    await client.query('rollback');
    throw error;
  }
}
